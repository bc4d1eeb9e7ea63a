#pragma once
// The Spark/Webex half of the sandbox: the REST API under /v1 (bearer auth, Webex error bodies,
// Trackingid headers, Link paging), webhooks delivered and signed as Webex does, a faults knob,
// call statistics, and an admin API under /sandbox/spark for tests and the UI.
#include <httplib.h>

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "spark_state.h"
#include "switchboard/config.h"
#include "switchboard/metrics.h"
#include "webhook_dispatcher.h"

namespace sb::sandbox::spark {

// A scripted failure: the next `count` matching requests answer `status` instead.
struct Fault {
    int status = 429;
    int retry_after = -1;  // seconds; -1: no Retry-After header
    int count = 1;
    std::string path_prefix = "/v1";
    std::string method;  // empty: any
};

// A slow Webex: matching requests are carried out at once (their effect shows immediately) but
// answered only after `ms`, as when Webex's answer is late or lost on the way. Lasts until
// cleared.
struct Latency {
    int ms = 0;
    std::string path_prefix = "/v1";
    std::string method;  // empty: any
};

class SparkSandbox {
  public:
    SparkSandbox(const Environment& env, Metrics& metrics);
    ~SparkSandbox();
    void register_routes(httplib::Server& server);
    // Called once the server listens; public_base_url is where clients reach the sandbox.
    void start(const std::string& public_base_url);
    void stop();

    SparkState& state() { return state_; }

  private:
    using ApiHandler =
        std::function<Reply(const std::string& caller, const httplib::Request&, const json& body)>;
    void api(httplib::Server& server, const std::string& method, const std::string& pattern,
             const std::string& endpoint, ApiHandler handler);
    void register_admin_routes(httplib::Server& server);
    void register_content_routes(httplib::Server& server);  // spark_sandbox_contents.cpp
    // POST /v1/messages: a `files` URL is fetched first, outside the state's lock.
    Reply create_message(const std::string& caller, const json& body);
    // An agent's post through the admin API; a `files` URL is fetched first, as for the API.
    Reply admin_post(const std::string& room_id, const json& body);
    std::optional<Fault> take_fault(const std::string& method, const std::string& path);
    void hold_answer(const std::string& method, const std::string& path);  // per the latencies
    void count_call(const std::string& method, const std::string& endpoint);
    std::string link_base(const httplib::Request& request) const;

    Metrics& metrics_;
    SparkState state_;
    WebhookDispatcher dispatcher_;
    bool public_url_explicit_ = false;
    size_t max_file_bytes_ = 0;  // SANDBOX_SPARK_MAX_FILE_BYTES

    mutable std::mutex mutex_;
    std::string public_base_url_;
    std::vector<Fault> faults_;
    std::vector<Latency> latencies_;
    bool stopping_ = false;
    std::condition_variable stopped_;             // cuts held answers short at shutdown
    std::map<std::string, std::uint64_t> calls_;  // "GET /v1/rooms/{id}" -> count
    std::uint64_t faults_served_ = 0;
};

}  // namespace sb::sandbox::spark
