#pragma once
// One partition of twilio-gateway's outbound side, as the runner starts and stops it
// (partitioned_runner.h): the node that consumes that partition's sms.send and publishes its
// reports, the sender, and a Twilio client of its own (so letting one partition go cuts short
// only its own sends, which stay pending for the next owner).
#include "gateway_config.h"
#include "sms_sender.h"
#include "switchboard/api_client.h"
#include "switchboard/delivery.h"
#include "switchboard/partitioned_runner.h"

namespace sb::twilio_gateway {

class SmsPartition : public PartitionWorker {
  public:
    SmsPartition(const GatewayConfig& config, Metrics& metrics, const partitions::Place& place);
    ~SmsPartition() override;
    void start() override;
    void stop() override;

  private:
    delivery::Node node_;
    ApiClient api_;
    SmsSender sender_;
    bool running_ = false;
};

}  // namespace sb::twilio_gateway
