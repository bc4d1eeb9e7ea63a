#include "sms_partition.h"

#include "switchboard/service.h"
#include "switchboard/topics.h"

namespace sb::twilio_gateway {
namespace {

// One attempt per call: the sender retries itself, without a last attempt (send_backoff.h).
RetryPolicy one_attempt() {
    RetryPolicy policy;
    policy.max_attempts = 1;
    policy.read_timeout = std::chrono::seconds(15);
    return policy;
}

}  // namespace

SmsPartition::SmsPartition(const GatewayConfig& config, Metrics& metrics,
                           const partitions::Place& place)
    : node_(partition_delivery_options(config.common, place, {topics::sms_to_send})),
      api_(config.api_url, BasicAuth{config.basic_user(), config.basic_password()}, "twilio",
           &metrics, one_attempt()),
      sender_(
          SenderSettings{config.account_sid, config.from_number, config.messaging_service_sid,
                         config.public_base_url},
          [this](const std::string& target, const FormParams& form) {
              return api_.post_form(target, form);
          },
          [this](delivery::Transaction transaction) { node_.commit(std::move(transaction)); },
          metrics) {
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
    sender_.restore(node_.memory());  // the sends wait for it
}

void SmsPartition::stop() {
    if (!running_) return;
    running_ = false;
    sender_.stop();
    api_.cancel();   // cuts the sends in progress short; they stay pending
    sender_.join();  // before node_.stop(): the senders commit through the node
    node_.stop();
}

}  // namespace sb::twilio_gateway
