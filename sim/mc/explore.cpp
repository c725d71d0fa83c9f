#include "sim/mc/explore.hpp"

#include "sim/mc/search_common.hpp"

namespace mc {

SearchResult search(const Bounds& bounds, const SearchOptions& options) {
    Model model(bounds);
    FpTable table(options.capacity);
    SearchResult result = options.depthFirst ? dfs(model, table, options) : bfs(model, table, options);
    result.states = table.size();
    result.tableBytes = table.bytes();
    result.tableCapacity = table.capacity();
    result.distinctNodes = model.tablesSize().nodes;
    result.distinctMessages = model.tablesSize().msgs;
    return result;
}

}  // namespace mc
