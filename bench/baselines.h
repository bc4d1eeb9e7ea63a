#pragma once
// The machine's own limits, measured in the same run as the pipeline: a bare cpp-httplib server
// that answers a webhook at once (the HTTP limit), and raw ZeroMQ pub/sub through the bus.
#include <string>
#include <vector>

#include "bench_util.h"
#include "paced_load.h"

namespace sb::bench {

// Serves POST /api/tropo-webhook/ with the answer tropo-gateway gives an SMS, from a thread of
// this process, configured like HttpEdge (keep-alive, library defaults: no TCP_NODELAY), or
// with TCP_NODELAY to show what the services would gain; stops when destroyed.
class BareHttpServer {
  public:
    explicit BareHttpServer(bool tcp_nodelay);
    ~BareHttpServer();
    BareHttpServer(const BareHttpServer&) = delete;
    BareHttpServer& operator=(const BareHttpServer&) = delete;
    int port() const { return port_; }

  private:
    struct State;
    State* state_;
    int port_ = 0;
};

struct PubSubResult {
    int events = 0;
    double per_second = 0;
    Summary latency;
};
// `events` ~200-byte messages from one PUB to one SUB through the bus's XSUB/XPUB.
PubSubResult raw_pubsub(const std::string& publish_endpoint, const std::string& subscribe_endpoint,
                        int events);

}  // namespace sb::bench
