#include "twilio_errors.h"

#include <map>

namespace sb::twilio_gateway {
namespace {

// Refusals of a Messages.json call (HTTP 400 with a code): nothing was sent.
const std::map<int, const char*>& refusals() {
    static const std::map<int, const char*> table = {
        {21211,
         "the number is not a valid phone number; check it for a typo and ask the customer for "
         "the right one"},
        {21614,
         "the number is not a mobile phone (a landline?) and cannot get SMS; call the customer "
         "or ask for a mobile number"},
        {21612,
         "the number cannot be reached by SMS from our number (its carrier does not take our "
         "messages); call the customer or reach them another way"},
        {21408,
         "SMS to this country are not enabled in our Twilio account; an administrator can "
         "allow the country in Twilio's Messaging Geo Permissions"},
        {21606,
         "our sending number cannot send SMS (TWILIO_FROM_NUMBER is not an SMS-capable number of "
         "our Twilio account); an administrator must fix the gateway's settings"},
        {21617,
         "the text is longer than Twilio's 1600-character limit; send it in shorter messages"},
        {21602, "the text was empty; nothing was sent"},
        {21604, "the message had no number to go to; nothing was sent"},
        {21608,
         "our Twilio account is a trial account and may only text verified numbers; an "
         "administrator must upgrade it or verify this number"},
        {21266, "the number is our own sending number; nothing was sent"},
        {20003,
         "Twilio refused the gateway's credentials; an administrator must fix TWILIO_AUTH_TOKEN "
         "or the API key"},
        {20404,
         "Twilio does not know our account (TWILIO_ACCOUNT_SID is wrong); an administrator must "
         "fix the gateway's settings"},
    };
    return table;
}

// ErrorCode of an `undelivered` or `failed` status callback: Twilio took the SMS, the carrier
// or the phone did not.
const std::map<std::string, const char*>& delivery_errors() {
    static const std::map<std::string, const char*> table = {
        {"30001",
         "Twilio's queue for our number was full and the message was dropped; send it again "
         "later"},
        {"30002", "our Twilio account is suspended; an administrator must settle it with Twilio"},
        {"30003", "the phone is switched off or unreachable; try again later or call the customer"},
        {"30004",
         "the message was blocked (the customer's phone or carrier blocks our number); reach "
         "the customer another way"},
        {"30005",
         "the number does not exist (or is no longer in service); check it with the customer"},
        {"30006",
         "a landline or a carrier that cannot take SMS; call the customer or ask for a mobile "
         "number"},
        {"30007",
         "filtered by the carrier (spam filter); rephrase without links or sales words, or "
         "call the customer"},
        {"30008", "the carrier could not deliver it for an unknown reason; send it again later"},
        {"30009", "a part of the long message was lost on the way; send it again"},
        {"30010",
         "the message cost more than the maximum price set for it; an administrator can raise "
         "the price limit"},
        {"30032",
         "our toll-free number is not verified for texting; an administrator must complete "
         "Twilio's toll-free verification"},
        {"30034",
         "our number is not registered for US business texting (A2P 10DLC); an administrator "
         "must complete the registration in Twilio's console"},
        {"30035",
         "our number's US business texting registration (A2P 10DLC) is still under review; "
         "send it again once it is approved"},
        {"30036",
         "the message waited too long in Twilio's queue and expired before it went out; send it "
         "again"},
        {"30410", "the carrier did not answer Twilio in time; send it again later"},
    };
    return table;
}

}  // namespace

SendOutcome classify_send_answer(int http_status, int twilio_code, const std::string& message) {
    const std::string code_text = twilio_code != 0   ? std::to_string(twilio_code)
                                  : http_status != 0 ? "HTTP " + std::to_string(http_status)
                                                     : std::string("network");
    if (http_status >= 200 && http_status < 300) return {SendVerdict::sent, {}, {}};
    if (http_status == 0) {
        return {SendVerdict::retry,
                "Twilio could not be reached" + (message.empty() ? "" : " (" + message + ")"),
                code_text};
    }
    // 429 and its code 20429 (too many requests or connections); 5xx: Twilio's own trouble;
    // 21611: the sender's queue is full, which drains. All clear by themselves: wait and again.
    if (http_status == 429 || twilio_code == 20429 || http_status >= 500 || twilio_code == 21611) {
        return {SendVerdict::retry, "Twilio answered " + std::to_string(http_status), code_text};
    }
    if (twilio_code == 21610) {
        return {SendVerdict::opted_out,
                "the customer replied STOP to our number and Twilio sends them no SMS until they "
                "text START; call them or ask them to text START",
                code_text};
    }
    const auto known = refusals().find(twilio_code);
    if (known != refusals().end()) return {SendVerdict::failed, known->second, code_text};
    std::string reason = "Twilio refused the SMS";
    reason += twilio_code != 0 ? " (error " + std::to_string(twilio_code) + ")"
                               : " (HTTP " + std::to_string(http_status) + ")";
    if (!message.empty()) reason += ": " + message;
    return {SendVerdict::failed, reason, code_text};
}

std::string callback_error_reason(const std::string& error_code) {
    const auto known = delivery_errors().find(error_code);
    if (known != delivery_errors().end()) return known->second;
    if (error_code.empty()) return "the carrier could not deliver it (no reason given)";
    return "the carrier could not deliver it (Twilio error " + error_code + ")";
}

}  // namespace sb::twilio_gateway
