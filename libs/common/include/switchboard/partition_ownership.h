#pragma once
// Who takes and who lets go of which partition: a pure function of what one replica sees
// (README, "Partitions and replicas"). The lock decides who *has* a partition; this only decides
// what a replica *tries*, so replicas that briefly disagree never make a second owner.
#include <cstdint>
#include <set>
#include <vector>

namespace sb::ownership {

// ceil(partitions / live members); a replica always counts itself, so live >= 1.
std::uint32_t fair_share(std::uint32_t partitions, std::uint32_t live_members);

struct Plan {
    std::vector<std::uint32_t> release;     // owned beyond the share, highest first
    std::vector<std::uint32_t> candidates;  // not owned, in the order to try their locks
    std::uint32_t want = 0;                 // how many of the candidates to take
};

// `slot` spreads the candidates' order so joining replicas do not all race for partition 0.
Plan plan(std::uint32_t partitions, std::uint32_t live_members,
          const std::set<std::uint32_t>& owned, std::uint32_t slot);

}  // namespace sb::ownership
