#pragma once
// The Tropo half of the sandbox: the Session API under /1.0, simulated phones that text and call
// the company number, and the test/admin API under /sandbox/tropo.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "answer_interpreter.h"
#include "app_link.h"
#include "phones.h"
#include "switchboard/config.h"
#include "switchboard/metrics.h"

namespace sb::sandbox::tropo {

class TropoSandbox {
  public:
    TropoSandbox(const Environment& env, Metrics& metrics);
    ~TropoSandbox();
    void register_routes(httplib::Server& server);
    // The phones' admin routes under `prefix` ("/sandbox/tropo", or the carrier-neutral
    // "/sandbox" when Tropo is the sandbox's SMS carrier).
    void register_phone_routes(httplib::Server& server, const std::string& prefix);
    // Called once the server listens; public_base_url is where clients reach the sandbox.
    void start(const std::string& public_base_url);
    void stop();

  private:
    struct Faults {
        std::string mode;  // "error": answer `status`; "refuse": {"success":false}
        int status = 503;
        int remaining = 0;
        int drop_launched = 0;  // launches accepted whose session never reaches the application
    };
    struct Counters {
        std::atomic<std::uint64_t> session_api_calls{0};
        std::atomic<std::uint64_t> sessions_launched{0};
        std::atomic<std::uint64_t> session_api_refused{0};
        std::atomic<std::uint64_t> session_api_faulted{0};
        std::atomic<std::uint64_t> launches_dropped{0};
        std::atomic<std::uint64_t> sessions_posted{0};
        std::atomic<std::uint64_t> app_errors{0};
        std::atomic<std::uint64_t> sms_delivered{0};
        std::atomic<std::uint64_t> sms_from_phones{0};
        std::atomic<std::uint64_t> calls_placed{0};
    };

    void session_api(const httplib::Request& request, httplib::Response& response);
    void phone_sms(const httplib::Request& request, httplib::Response& response);
    void phone_call(const httplib::Request& request, httplib::Response& response);
    void get_phone(const httplib::Request& request, httplib::Response& response);
    void faults(const httplib::Request& request, httplib::Response& response);
    void latency(const httplib::Request& request, httplib::Response& response);
    // Holds a Session API call for the configured latency; stop() cuts it short.
    void delay_session_api();
    void stats(httplib::Response& response) const;

    // Applies what the application answered to one session.
    // A call's `transfer_answer` says how its transfer ends (completed, no-answer, busy, failed).
    void carry_out(const std::string& session_id, SessionMode mode, const std::string& phone,
                   const std::string& call_id, const AppAnswer& answer,
                   const std::string& transfer_answer = "completed");
    // The transfer is over: Tropo fires the document's continue (answered) or incomplete event
    // and POSTs its result to that handler's `next`.
    void end_transfer(const std::string& session_id, const std::string& phone,
                      const std::string& call_id, const std::string& transfer_answer,
                      const Effect& transfer, const std::vector<Handler>& handlers);
    void deliver_sms(const std::string& to, const std::string& text, const std::string& session_id);
    void log_session(nlohmann::json entry);
    void log_session_locked(nlohmann::json entry);  // mutex_ held
    static constexpr size_t kSessionLog = 500;      // sessions kept for GET /sandbox/tropo/sessions

    Metrics& metrics_;
    std::string tropo_key_;
    std::string company_number_;
    std::string app_url_;
    AppLink app_;
    Phones phones_;
    Counters counters_;
    mutable std::mutex mutex_;
    Faults faults_;
    std::chrono::milliseconds session_api_latency_{0};  // POST /sandbox/tropo/latency
    std::chrono::milliseconds launched_session_latency_{0};
    bool stopping_ = false;
    std::condition_variable stopped_;
    std::deque<nlohmann::json> sessions_;  // the latest sessions posted, for the UI and tests
};

}  // namespace sb::sandbox::tropo
