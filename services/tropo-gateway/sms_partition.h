#pragma once
// One partition of tropo-gateway's outbound side, as the runner starts and stops it
// (partitioned_runner.h): the node that consumes that partition's sms.send, its SMS progress
// store (in the partition's folder, so the next owner knows which segments went), the sender and
// a Tropo client of its own. The launch confirmations come from this process's webhook: Tropo
// calls back whichever replica its request reaches, so run one tropo-gateway replica (README).
#include "gateway_config.h"
#include "launch_confirmations.h"
#include "sms_progress_store.h"
#include "sms_sender.h"
#include "switchboard/api_client.h"
#include "switchboard/delivery.h"
#include "switchboard/partitioned_runner.h"

namespace sb::tropo_gateway {

class SmsPartition : public PartitionWorker {
  public:
    SmsPartition(const GatewayConfig& config, Metrics& metrics, const partitions::Place& place,
                 LaunchConfirmations& confirmations);
    ~SmsPartition() override;
    void start() override;
    void stop() override;

  private:
    delivery::Node node_;
    ApiClient api_;
    SmsProgressStore progress_;
    SmsSender sender_;
    bool running_ = false;
};

}  // namespace sb::tropo_gateway
