// A Twilio webhook's form body (POST /api/twilio/sms/, /voice/, /voice/dial/): parsed strictly by
// parse_twilio_form, signed and checked, then read as an SMS/MMS, a call and a dial report. The
// promises: a refusal is always a 4xx; what is accepted is what the gateway may publish (E.164
// sender, UTF-8 text within 1600 characters, at most 10 http(s) media); a signature computed
// over the parameters validates, and TwiML never carries input unescaped.
#include "dial_outcome.h"
#include "fuzz_check.h"
#include "inbound_sms.h"
#include "switchboard/events.h"
#include "switchboard/text.h"
#include "twilio_form.h"
#include "twilio_signature.h"
#include "twiml.h"
#include "voice.h"

using namespace sb;
using namespace sb::twilio_gateway;

namespace {

void check_refusal(const Refusal& refusal) {
    FUZZ_CHECK(refusal.status >= 400 && refusal.status < 500);
    FUZZ_CHECK(!refusal.code.empty() && !refusal.reason.empty());
}

bool escaped(const std::string& text) {
    return text.find_first_of("<>\"'") == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = sb::fuzz::as_text(data, size);
    const ParsedForm form = parse_twilio_form(body);
    FUZZ_CHECK(form.params.has_value() == form.error.empty());
    if (!form.params) return 0;
    const TwilioParams& params = *form.params;
    FUZZ_CHECK(params.size() <= kMaxFormParams);
    for (const auto& [name, value] : params) {
        FUZZ_CHECK(!name.empty() && name.size() <= kMaxParamNameBytes);
    }

    const std::string url = "https://sms.example.com/api/twilio/sms/?a=1";
    const std::string signature = twilio_signature("token", url, params);
    FUZZ_CHECK(valid_twilio_signature("token", url, params, signature));
    FUZZ_CHECK(valid_twilio_signature("token", "https://sms.example.com:443/api/twilio/sms/?a=1",
                                      params, signature));
    FUZZ_CHECK(!valid_twilio_signature("other", url, params, signature));

    const SmsParse sms = parse_inbound_sms(params);
    if (sms) {
        FUZZ_CHECK(is_e164(sms.sms->from));
        FUZZ_CHECK(is_valid_utf8(sms.sms->body));
        FUZZ_CHECK(code_point_count(sms.sms->body) <= kMaxBodyCharacters);
        FUZZ_CHECK(!sms.sms->body.empty() || !sms.sms->media.empty());
        FUZZ_CHECK(sms.sms->media.size() <= static_cast<std::size_t>(kMaxMedia));
        FUZZ_CHECK(sms.sms->message_sid.size() == 34);
        for (const MediaRef& media : sms.sms->media) {
            FUZZ_CHECK(media.url.rfind("http://", 0) == 0 || media.url.rfind("https://", 0) == 0);
        }
        const CustomerMessage message = sms_message(*sms.sms, {}, 1, "2026-01-01T00:00:00Z");
        FUZZ_CHECK(message.customer == sms.sms->from && message.channel == "sms");
    } else {
        check_refusal(sms.refusal);
    }

    const CallParse call = parse_inbound_call(params);
    if (call) {
        FUZZ_CHECK(call.call->call_sid.size() == 34);
        FUZZ_CHECK(!call.call->from || is_e164(*call.call->from));
    } else {
        check_refusal(call.refusal);
    }
    const DialParse dial = parse_dial_report(params);
    if (dial) {
        const std::string& outcome = dial.report->outcome.outcome;
        FUZZ_CHECK(outcome == "answered" || outcome == "missed");
    } else {
        check_refusal(dial.refusal);
    }

    // Whatever came in, escaped for TwiML, carries no markup of its own.
    for (const auto& [name, value] : params) {
        FUZZ_CHECK(escaped(xml_escape(value)) && escaped(xml_escape(name)));
    }
    return 0;
}
