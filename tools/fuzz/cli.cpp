// The raftsim command line, parsed and never run: the input is an argument list, one word
// a line (a NUL byte also ends a word), given to the app main() builds (tools::buildApp),
// which stops after parsing (ParseOnlyApp), before any subcommand's callback. Every value
// is checked and converted as for a real run, so any list is parsed or refused with an exception main() turns into one line
// and exit 2 (CLI::ParseError, std::exception); nothing else, and no sweep, model check or
// file write happens. --from-scenario still reads and runs its file while it is parsed.
#include <CLI/CLI.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "tools/raftsim/app.hpp"

namespace {

// CLI11 calls pre_callback() once everything is parsed, converted and validated, before
// the first callback: throwing there runs no command.
struct ParsedOnly {};
class ParseOnlyApp : public CLI::App {
public:
    using CLI::App::App;
    void pre_callback() override { throw ParsedOnly{}; }
};

constexpr std::size_t kWordsMax = 64;  // longer lists add nothing but time

std::vector<std::string> words(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> out{"raftsim"};
    std::string word;
    for (std::size_t i = 0; i <= size; ++i) {
        if (i == size || data[i] == '\n' || data[i] == '\0') {
            if (i < size || !word.empty()) out.push_back(std::move(word));
            word.clear();
        } else {
            word.push_back(static_cast<char>(data[i]));
        }
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> args = words(data, size);
    if (args.size() > kWordsMax) return -1;  // not added to the corpus
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    ParseOnlyApp app{"raftsim (fuzz)"};
    int code = 0;
    tools::buildApp(app, code);
    std::ostringstream sink;  // help and version text, as main() prints them
    if (args.size() == 1) sink << app.help();  // no subcommand: main() lists them
    try {
        app.parse(static_cast<int>(args.size()), argv.data());
    } catch (const ParsedOnly&) {
    } catch (const CLI::CallForHelp& e) {
        (void)app.exit(e, sink, sink);
    } catch (const CLI::CallForAllHelp& e) {
        (void)app.exit(e, sink, sink);
    } catch (const CLI::CallForVersion& e) {
        (void)app.exit(e, sink, sink);
    } catch (const CLI::ParseError&) {
    } catch (const std::exception&) {
    }
    return 0;
}
