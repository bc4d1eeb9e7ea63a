#pragma once
// twilio-gateway as a real process on loopback with a real bus (a testing::Stack), the test
// playing the router (a BusRecorder on customer.message that answers calls when told to) and
// Twilio (signed form posts).
#include <httplib.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bus_recorder.h"
#include "stack.h"
#include "twilio_signing.h"

namespace sb::testing {

class TwilioRouterStub {
  public:
    explicit TwilioRouterStub(const Stack& stack);
    std::vector<CustomerMessage> messages() const;
    // Waits until `count` customer messages came in.
    bool wait_for_count(std::size_t count, std::chrono::milliseconds timeout) const;
    // Answers every incoming call with this number; empty: stays silent.
    void decide_calls(const std::string& forward_to);

  private:
    std::unique_ptr<BusRecorder> node_;
    mutable std::mutex mutex_;
    std::string decision_;
};

class TwilioWorld : public Stack {
  public:
    // Starts the bus, the router stub and twilio-gateway with `gateway_env` on top; with
    // `with_sandbox`, the sandbox too, its Twilio number's webhooks pointing at the gateway.
    explicit TwilioWorld(Env gateway_env = {}, bool with_sandbox = false);

    const int gateway_port;
    std::string account_sid;
    std::string auth_token;
    std::unique_ptr<TwilioRouterStub> router;

    Process& start_gateway();
    // PUBLIC_BASE_URL as the gateway was given it.
    std::string public_base() const;

    // POST `params` to `path` on the gateway, signed over `signed_url` (default: PUBLIC_BASE_URL
    // + path), or with `signature` verbatim when `use_signature`.
    httplib::Result post_signed(const std::string& path, const FormParams& params,
                                const std::string& signed_url = {});
    httplib::Result post_raw(const std::string& path, const std::string& body,
                             const httplib::Headers& headers);
    std::string gateway_log() const { return log("twilio-gateway"); }

  private:
    Env gateway_env_;
};

// A new MessageSid, different on every call.
std::string new_message_sid();
std::string new_call_sid();
// An inbound SMS's parameters as Twilio sends them.
FormParams sms_params(const std::string& message_sid, const std::string& from,
                      const std::string& body, const std::string& account_sid);

}  // namespace sb::testing
