#pragma once
// What Twilio does with the TwiML an application answers, reduced to what the sandbox acts on:
// for a message webhook the <Message>s to send, for a call the verbs in order (<Say>, <Play>,
// <Dial> with its attributes, <Hangup>, <Reject>, <Redirect>). A document Twilio could not
// parse is error 12100 (never an exception); verbs the sandbox does not act on are listed.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sb::sandbox::twilio {

struct TwimlNode {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::string text;  // the character data directly inside, trimmed
    std::vector<TwimlNode> children;
};

struct ParsedTwiml {
    TwimlNode root;      // <Response>
    int error_code = 0;  // 12100: not XML, or no <Response> at its root
    std::string error;
};

inline constexpr size_t kMaxTwimlBytes = 64 * 1024;  // beyond: Twilio's 11750

// An empty (or all-white-space) body is an empty <Response/>.
ParsedTwiml parse_twiml(std::string_view body);

struct ReplyMessage {
    std::string to;  // empty: the sender of the inbound message
    std::string body;
    std::vector<std::string> media;
};

struct MessagingPlan {
    std::vector<ReplyMessage> messages;
    std::string redirect;  // <Redirect>: Twilio fetches that TwiML next
    std::vector<std::string> ignored;
    int error_code = 0;
    std::string error;
};

MessagingPlan interpret_messaging(std::string_view body);

struct VoiceVerb {
    enum class Kind { say, play, pause, dial, hangup, reject, redirect };
    Kind kind = Kind::say;
    std::string text;  // say: the words; play: the URL; redirect: the URL; reject: the reason
    // dial
    std::string number;  // the number (or <Number>/<Sip>/<Client> target) dialled
    int timeout = 30;    // seconds, Twilio's default
    std::string action;  // empty: no action URL
    std::string method = "POST";
    std::string caller_id;
};

struct VoicePlan {
    std::vector<VoiceVerb> verbs;
    std::vector<std::string> ignored;
    int error_code = 0;
    std::string error;
};

VoicePlan interpret_voice(std::string_view body);

}  // namespace sb::sandbox::twilio
