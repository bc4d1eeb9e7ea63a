#pragma once
// Partitions (README, "Partitions and replicas"): a customer's key names one of PARTITIONS
// partitions, the same in every process; each partition has its own topics on the wire, its own
// instance name and its own journal. Pure names and arithmetic: who owns a partition is
// partition_ownership.h's, running one is partitioned_runner.h's.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/events.h"

namespace sb::partitions {

inline constexpr std::uint32_t kMaxPartitions = 256;

// 32-bit FNV-1a of the bytes: stable across processes, builds and platforms.
std::uint32_t fnv1a(std::string_view bytes);
// The partition of a key (a customer's E.164 number) among `count` (>= 1).
std::uint32_t partition_of(std::string_view key, std::uint32_t count);

// The topics split per partition (every consumed topic of a partitioned service).
bool is_partitioned(std::string_view topic);
// `base` on the wire for `partition`: the plain topic when count == 1 (as before partitions),
// else "<base>.p<partition>".
std::string topic_for(std::string_view base, std::uint32_t partition, std::uint32_t count);
// The partition a wire topic belongs to, when it is "<base>.p<k>" of a partitioned base; the
// plain topic gives 0 (count == 1). Used to answer on the same partition a command came on.
std::string same_partition(std::string_view base, std::string_view inbound_topic);

// What a service runs a partition as.
struct Place {
    std::uint32_t index = 0;
    std::uint32_t count = 1;
    std::string instance;            // names its journal, its streams and its acks
    std::filesystem::path data_dir;  // its journal and state files
    bool only() const { return count == 1; }
};
// count == 1: `plain_instance` (INSTANCE_ID) in `data_dir`, exactly as before partitions;
// else "<service>.p<k>" in data_dir/partitions/<service>.p<k>/ (the service's name in it, so
// services sharing one DATA_DIR, as scripts/run's do, never meet).
Place place_for(std::string_view service, const std::string& plain_instance,
                const std::filesystem::path& data_dir, std::uint32_t index, std::uint32_t count);
// The intake instance of the replica holding slot `slot`: "<service>.s<slot>".
std::string slot_instance(std::string_view service, std::uint32_t slot);

// How a node names the wire topic of what it publishes (delivery::Options::route).
using Route = std::function<std::string(const std::string& topic, const Envelope& event)>;
// A partition's own outputs go to the same partition of the next service.
Route route_to(std::uint32_t partition, std::uint32_t count);
// Intake: each event to its key's partition.
Route route_by_key(std::uint32_t count);

}  // namespace sb::partitions
