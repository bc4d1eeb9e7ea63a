#include "sms_partition.h"

#include "switchboard/service.h"
#include "switchboard/topics.h"

namespace sb::tropo_gateway {
namespace {

RetryPolicy tropo_policy() {
    RetryPolicy policy;
    policy.read_timeout = std::chrono::seconds(10);
    return policy;
}

}  // namespace

SmsPartition::SmsPartition(const GatewayConfig& config, Metrics& metrics,
                           const partitions::Place& place, LaunchConfirmations& confirmations)
    : node_(partition_delivery_options(config.common, place, {topics::sms_to_send})),
      api_(config.tropo_api_url, /*bearer_token=*/"", "tropo", &metrics, tropo_policy()),
      progress_(SmsProgressStore::path_for(place.data_dir.string(), place.instance)),
      sender_(
          config, [this](const std::string& body) { return api_.post_json("/sessions", body); },
          [this](delivery::Transaction transaction) { node_.commit(std::move(transaction)); },
          metrics, progress_, confirmations) {
    node_.register_metrics(metrics);  // summed with the intake's, while this partition runs
    node_.on_event([this](const delivery::Inbound& inbound, delivery::Transaction& transaction) {
        sender_.handle(inbound, transaction);
    });
}

SmsPartition::~SmsPartition() {
    SmsPartition::stop();
}

void SmsPartition::start() {
    node_.start();
    running_ = true;
}

void SmsPartition::stop() {
    if (!running_) return;
    running_ = false;
    sender_.stop();
    api_.cancel();   // cuts the sends in progress short; they stay pending
    sender_.join();  // before node_.stop(): the workers commit through the node
    node_.stop();
}

}  // namespace sb::tropo_gateway
