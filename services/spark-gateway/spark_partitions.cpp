#include "spark_partitions.h"

#include "switchboard/partitions.h"
#include "switchboard/phone.h"
#include "switchboard/service.h"
#include "switchboard/topics.h"

namespace sb::spark_gateway {

std::string intake_instance(const CommonConfig& config, const Membership& membership) {
    return partitions::slot_instance(config.instance, membership.slot());
}

std::filesystem::path seen_mark_path(const CommonConfig& config, const Membership& membership) {
    const std::string name =
        membership.slot() == 0 ? config.instance : intake_instance(config, membership);
    return std::filesystem::path(config.data_dir) / (name + ".spark-seen");
}

delivery::Options spark_node_options(const CommonConfig& config, const Membership& membership,
                                     const std::string& webhook_topic) {
    std::vector<std::string> consume{webhook_topic};
    if (membership.slot() == 0) {
        for (std::uint32_t k = 0; k < config.partitions; ++k) {
            consume.push_back(partitions::topic_for(topics::spark_commands, k, config.partitions));
        }
    }
    return intake_delivery_options(config, membership, std::move(consume));
}

std::string agent_message_key(const AgentMessage& message) {
    return phone::number_from_room_title(message.room_title).value_or(message.room_id);
}

}  // namespace sb::spark_gateway
