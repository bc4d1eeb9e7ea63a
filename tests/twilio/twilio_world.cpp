#include "twilio_world.h"

#include <atomic>

#include "http_client.h"
#include "switchboard/topics.h"

namespace sb::testing {

using namespace std::chrono_literals;

TwilioRouterStub::TwilioRouterStub(const Stack& stack)
    : node_(stack.recorder("router-stub", {std::string(topics::customer_messages)})) {
    node_->on_event([this](const delivery::Inbound& inbound, delivery::Transaction&) {
        std::string decision;
        {
            std::lock_guard lock(mutex_);
            decision = decision_;
        }
        const auto message = inbound.event.payload_as<CustomerMessage>();
        if (message.channel == "voice" && message.call && !message.call->reply_to.empty() &&
            !decision.empty()) {
            node_->node().send_now(
                message.call->reply_to,
                make_event(event_type::call_decision, "router-stub", inbound.event.key,
                           CallDecision{message.call->call_id, decision}));
        }
    });
    node_->start();
}

std::vector<CustomerMessage> TwilioRouterStub::messages() const {
    std::vector<CustomerMessage> messages;
    for (const Envelope& event : node_->events(topics::customer_messages)) {
        messages.push_back(event.payload_as<CustomerMessage>());
    }
    return messages;
}

bool TwilioRouterStub::wait_for_count(std::size_t count, std::chrono::milliseconds timeout) const {
    return wait_until([&] { return node_->events(topics::customer_messages).size() >= count; },
                      timeout);
}

void TwilioRouterStub::decide_calls(const std::string& forward_to) {
    std::lock_guard lock(mutex_);
    decision_ = forward_to;
}

TwilioWorld::TwilioWorld(Env gateway_env, bool with_sandbox)
    : Stack("twilio"), gateway_port(port("twilio-gateway")), gateway_env_(std::move(gateway_env)) {
    account_sid = demo().all.at("TWILIO_ACCOUNT_SID");
    auth_token = demo().all.at("TWILIO_AUTH_TOKEN");
    start("bus");
    if (with_sandbox) {
        start("sandbox", Env{{"SMS_CARRIER", "twilio"},
                             {"TWILIO_SMS_URL", url("twilio-gateway") + "/api/twilio/sms/"},
                             {"TWILIO_VOICE_URL", url("twilio-gateway") + "/api/twilio/voice/"}});
    }
    router = std::make_unique<TwilioRouterStub>(*this);
    start_gateway();
}

Process& TwilioWorld::start_gateway() {
    Env env;
    env["TWILIO_API_URL"] = url("sandbox") + "/twilio";
    // Twilio signs the URL it was given: by default the gateway's own, where the test posts.
    env["PUBLIC_BASE_URL"] = url("twilio-gateway");
    for (const auto& [name, value] : gateway_env_) env[name] = value;
    return start("twilio-gateway", env);
}

std::string TwilioWorld::public_base() const {
    const auto found = gateway_env_.find("PUBLIC_BASE_URL");
    return found != gateway_env_.end() ? found->second : url("twilio-gateway");
}

httplib::Result TwilioWorld::post_signed(const std::string& path, const FormParams& params,
                                         const std::string& signed_url) {
    const std::string url = signed_url.empty() ? public_base() + path : signed_url;
    return post_raw(path, form_body(params),
                    {{"X-Twilio-Signature", twilio_sign(auth_token, url, params)}});
}

httplib::Result TwilioWorld::post_raw(const std::string& path, const std::string& body,
                                      const httplib::Headers& headers) {
    auto client = http_client(gateway_port);
    return client.Post(path.c_str(), headers, body, "application/x-www-form-urlencoded");
}

namespace {

std::string numbered_sid(const char* prefix) {
    static std::atomic<unsigned> next{1};
    char digits[33];
    std::snprintf(digits, sizeof digits, "%08x%024x", static_cast<unsigned>(::getpid()),
                  next.fetch_add(1));
    return prefix + std::string(digits);
}

}  // namespace

std::string new_message_sid() {
    return numbered_sid("SM");
}

std::string new_call_sid() {
    return numbered_sid("CA");
}

FormParams sms_params(const std::string& message_sid, const std::string& from,
                      const std::string& body, const std::string& account_sid) {
    return {{"ToCountry", "US"},
            {"ToState", "ID"},
            {"SmsMessageSid", message_sid},
            {"NumMedia", "0"},
            {"ToCity", ""},
            {"FromZip", "83702"},
            {"SmsSid", message_sid},
            {"FromState", "ID"},
            {"SmsStatus", "received"},
            {"FromCity", "BOISE"},
            {"Body", body},
            {"FromCountry", "US"},
            {"To", "+12085550100"},
            {"ToZip", ""},
            {"NumSegments", "1"},
            {"MessageSid", message_sid},
            {"AccountSid", account_sid},
            {"From", from},
            {"ApiVersion", "2010-04-01"}};
}

}  // namespace sb::testing
