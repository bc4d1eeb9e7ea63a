#include "switchboard/partitions.h"

#include <array>

#include "switchboard/topics.h"

namespace sb::partitions {
namespace {

constexpr std::array<std::string_view, 6> kPartitioned = {
    topics::customer_messages, topics::agent_messages, topics::spark_commands,
    topics::spark_results,     topics::sms_to_send,    topics::sms_reports};

}  // namespace

std::uint32_t fnv1a(std::string_view bytes) {
    std::uint32_t hash = 2166136261u;
    for (const char byte : bytes) {
        hash ^= static_cast<std::uint8_t>(byte);
        hash *= 16777619u;
    }
    return hash;
}

std::uint32_t partition_of(std::string_view key, std::uint32_t count) {
    return count <= 1 ? 0 : fnv1a(key) % count;
}

bool is_partitioned(std::string_view topic) {
    for (const std::string_view base : kPartitioned) {
        if (topic == base) return true;
    }
    return false;
}

std::string topic_for(std::string_view base, std::uint32_t partition, std::uint32_t count) {
    if (count <= 1) return std::string(base);
    return std::string(base) + ".p" + std::to_string(partition);
}

std::string same_partition(std::string_view base, std::string_view inbound_topic) {
    const std::size_t dot = inbound_topic.rfind(".p");
    if (dot == std::string_view::npos || dot + 2 >= inbound_topic.size()) return std::string(base);
    const std::string_view digits = inbound_topic.substr(dot + 2);
    for (const char c : digits) {
        if (c < '0' || c > '9') return std::string(base);
    }
    if (!is_partitioned(inbound_topic.substr(0, dot))) return std::string(base);
    return std::string(base) + ".p" + std::string(digits);
}

Place place_for(std::string_view service, const std::string& plain_instance,
                const std::filesystem::path& data_dir, std::uint32_t index, std::uint32_t count) {
    if (count <= 1) return Place{0, 1, plain_instance, data_dir};
    std::string instance = std::string(service) + ".p" + std::to_string(index);
    std::filesystem::path folder = data_dir / "partitions" / instance;
    return Place{index, count, std::move(instance), std::move(folder)};
}

std::string slot_instance(std::string_view service, std::uint32_t slot) {
    return std::string(service) + ".s" + std::to_string(slot);
}

Route route_to(std::uint32_t partition, std::uint32_t count) {
    return [partition, count](const std::string& topic, const Envelope&) {
        return is_partitioned(topic) ? topic_for(topic, partition, count) : topic;
    };
}

Route route_by_key(std::uint32_t count) {
    return [count](const std::string& topic, const Envelope& event) {
        return is_partitioned(topic) ? topic_for(topic, partition_of(event.key, count), count)
                                     : topic;
    };
}

}  // namespace sb::partitions
