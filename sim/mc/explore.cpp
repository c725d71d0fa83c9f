#include "sim/mc/explore.hpp"

#include "sim/mc/search_common.hpp"

namespace mc {

SearchResult search(const Bounds& bounds, const SearchOptions& options) {
    Model model(bounds);
    FpTable table(options.capacity);
    SearchResult result;
    switch (options.mode) {
        case SearchMode::Bfs: result = bfs(model, table, options); break;
        case SearchMode::Dfs: result = dfs(model, table, options); break;
        case SearchMode::Walk: result = walk(model, table, options); break;
    }
    result.states = table.size();
    result.tableBytes = table.bytes();
    result.tableCapacity = table.capacity();
    result.distinctNodes = model.tablesSize().nodes;
    result.distinctMessages = model.tablesSize().msgs;
    result.refusals = model.refusals();
    return result;
}

}  // namespace mc
