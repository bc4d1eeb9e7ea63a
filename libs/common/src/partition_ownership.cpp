#include "switchboard/partition_ownership.h"

#include <algorithm>

namespace sb::ownership {

std::uint32_t fair_share(std::uint32_t partitions, std::uint32_t live_members) {
    const std::uint32_t live = std::max<std::uint32_t>(live_members, 1);
    return (partitions + live - 1) / live;
}

Plan plan(std::uint32_t partitions, std::uint32_t live_members,
          const std::set<std::uint32_t>& owned, std::uint32_t slot) {
    Plan result;
    const std::uint32_t share = fair_share(partitions, live_members);
    std::vector<std::uint32_t> mine;
    for (const std::uint32_t partition : owned) {
        if (partition < partitions) mine.push_back(partition);
    }
    // A partition outside the range (PARTITIONS lowered) is never kept.
    for (auto it = owned.rbegin(); it != owned.rend(); ++it) {
        if (*it >= partitions) result.release.push_back(*it);
    }
    if (mine.size() > share) {
        std::sort(mine.rbegin(), mine.rend());
        result.release.insert(result.release.end(), mine.begin(),
                              mine.begin() + static_cast<std::ptrdiff_t>(mine.size() - share));
        return result;
    }
    result.want = share - static_cast<std::uint32_t>(mine.size());
    if (result.want == 0 || partitions == 0) return result;
    const std::uint32_t start =
        static_cast<std::uint32_t>((static_cast<std::uint64_t>(slot) * share) % partitions);
    for (std::uint32_t i = 0; i < partitions; ++i) {
        const std::uint32_t partition = (start + i) % partitions;
        if (owned.count(partition) == 0) result.candidates.push_back(partition);
    }
    return result;
}

}  // namespace sb::ownership
