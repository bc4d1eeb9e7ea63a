#pragma once
// spark-gateway and partitions (README, "Partitions and replicas"): which topics its node
// consumes, what it names itself, and the key that sends an AgentMessage to its customer's
// router partition.
#include <filesystem>
#include <string>

#include "switchboard/config.h"
#include "switchboard/delivery.h"
#include "switchboard/events.h"
#include "switchboard/membership.h"

namespace sb::spark_gateway {

// "<INSTANCE_ID>.s<slot>": the node's name, its webhook journal's topic, its catch-up mark.
std::string intake_instance(const CommonConfig& config, const Membership& membership);
// The catch-up mark of this slot: slot 0's is `<INSTANCE_ID>.spark-seen`, as before replicas.
std::filesystem::path seen_mark_path(const CommonConfig& config, const Membership& membership);
// The replica in slot 0 consumes every partition's spark.command (one executor, so no command
// runs twice and rooms are created in order); every replica consumes its own webhook journal.
// Published AgentMessages go to their key's partition; results name their partition themselves.
delivery::Options spark_node_options(const CommonConfig& config, const Membership& membership,
                                     const std::string& webhook_topic);
// The customer's E.164 number when the room's title is one (phone::number_from_room_title),
// else the room id (a room that is no customer's: whichever partition gets it ignores it).
std::string agent_message_key(const AgentMessage& message);

}  // namespace sb::spark_gateway
