#include "traces/step/live.hpp"

#include <nlohmann/json.hpp>

#include "traces/export_html.hpp"
#include "traces/model_trace.hpp"
#include "traces/scenario/words.hpp"
#include "traces/step/choices.hpp"

namespace step {

namespace {

LiveReply reply(int status, const std::string& key, const nlohmann::ordered_json& value) {
    nlohmann::ordered_json j;
    j[key] = value;
    return {status, j.dump()};
}

}  // namespace

std::string Live::page() const {
    traces::HtmlJson data = traces::htmlData(stepper_->trace());
    data["title"] = "raftsim serve: step through Raft";
    data["repro"] = "";
    traces::HtmlJson cuts = traces::HtmlJson::array();
    for (const auto& [a, b] : stepper_->session().cuts()) cuts.push_back({a, b});
    data["frames"].back()["cut"] = cuts;
    traces::HtmlJson next = traces::HtmlJson::array();
    for (const Choice& c : choices(stepper_->session(), stepper_->nextValue())) next.push_back(c.command);
    data["live"] = {{"choices", next}, {"depth", stepper_->depth()}};
    return traces::htmlPage(data);
}

LiveReply Live::act(const std::string& command) {
    const std::vector<std::string> words = scenario::splitWords(scenario::printable(command));
    if (words.empty()) return reply(400, "error", "empty command");
    try {
        return reply(200, "output", stepper_->run(words));
    } catch (const std::exception& e) {
        return reply(400, "error", e.what());
    }
}

LiveReply Live::back() { return reply(200, "undone", stepper_->back(1)); }

std::string Live::traceJson() const {
    mc::ModelTrace t = stepper_->trace();
    t.repro = "raftsim serve";
    return traces::dump(t);
}

std::string Live::scenarioText() const { return stepper_->scenarioText("Saved by `raftsim serve`."); }

}  // namespace step
