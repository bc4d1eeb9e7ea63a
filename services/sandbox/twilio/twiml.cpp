#include "twiml.h"

#include <expat.h>

#include <memory>

#include "switchboard/text.h"

namespace sb::sandbox::twilio {
namespace {

constexpr int kMaxDepth = 32;

struct Builder {
    std::vector<TwimlNode*> open;  // the path from the root to the element being read
    TwimlNode root;
    bool has_root = false;
    std::string error;
    XML_Parser parser = nullptr;
};

void fail(Builder& builder, std::string reason) {
    if (builder.error.empty()) builder.error = std::move(reason);
    XML_StopParser(builder.parser, XML_FALSE);
}

void on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
    auto& builder = *static_cast<Builder*>(data);
    if (builder.open.size() >= kMaxDepth) return fail(builder, "TwiML nested too deep");
    TwimlNode node;
    node.name = name;
    for (int i = 0; attributes[i] != nullptr && attributes[i + 1] != nullptr; i += 2) {
        node.attributes[attributes[i]] = attributes[i + 1];
    }
    if (builder.open.empty()) {
        if (builder.has_root) return fail(builder, "more than one root element");
        builder.root = std::move(node);
        builder.has_root = true;
        builder.open.push_back(&builder.root);
        return;
    }
    TwimlNode& parent = *builder.open.back();
    parent.children.push_back(std::move(node));
    builder.open.push_back(&parent.children.back());
}

void on_end(void* data, const XML_Char*) {
    auto& builder = *static_cast<Builder*>(data);
    if (builder.open.empty()) return;
    TwimlNode& node = *builder.open.back();
    node.text = std::string(trim(node.text));
    builder.open.pop_back();
}

void on_text(void* data, const XML_Char* text, int length) {
    auto& builder = *static_cast<Builder*>(data);
    if (!builder.open.empty()) builder.open.back()->text.append(text, static_cast<size_t>(length));
}

void on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    // TwiML has no DOCTYPE; refusing it also refuses entity tricks.
    fail(*static_cast<Builder*>(data), "a DOCTYPE is not TwiML");
}

std::string attribute(const TwimlNode& node, const char* name) {
    const auto found = node.attributes.find(name);
    return found == node.attributes.end() ? std::string() : found->second;
}

int timeout_of(const TwimlNode& dial) {
    const std::string raw = attribute(dial, "timeout");
    if (raw.empty() || raw.size() > 4) return 30;
    int value = 0;
    for (const char c : raw) {
        if (c < '0' || c > '9') return 30;  // Twilio warns and uses its default
        value = value * 10 + (c - '0');
    }
    // Twilio's range is 5 to 600 seconds.
    return value < 5 ? 5 : value > 600 ? 600 : value;
}

std::string method_of(const TwimlNode& node) {
    const std::string method = attribute(node, "method");
    return method == "GET" ? "GET" : "POST";
}

}  // namespace

ParsedTwiml parse_twiml(std::string_view body) {
    ParsedTwiml parsed;
    if (trim(body).empty()) {
        parsed.root.name = "Response";
        return parsed;
    }
    if (body.size() > kMaxTwimlBytes) {
        parsed.error_code = 11750;
        parsed.error = "TwiML response body too large";
        return parsed;
    }
    Builder builder;
    const std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(
        XML_ParserCreate("UTF-8"), &XML_ParserFree);
    if (!parser) {
        parsed.error_code = 12100;
        parsed.error = "Document parse failure: no parser";
        return parsed;
    }
    builder.parser = parser.get();
    XML_SetUserData(parser.get(), &builder);
    XML_SetElementHandler(parser.get(), on_start, on_end);
    XML_SetCharacterDataHandler(parser.get(), on_text);
    XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
    const auto status =
        XML_Parse(parser.get(), body.data(), static_cast<int>(body.size()), XML_TRUE);
    if (status != XML_STATUS_OK || !builder.error.empty()) {
        parsed.error_code = 12100;
        parsed.error =
            "Document parse failure: " +
            (builder.error.empty() ? std::string(XML_ErrorString(XML_GetErrorCode(parser.get())))
                                   : builder.error);
        return parsed;
    }
    if (!builder.has_root || builder.root.name != "Response") {
        parsed.error_code = 12100;
        parsed.error = "Document parse failure: the root element is not <Response>";
        return parsed;
    }
    parsed.root = std::move(builder.root);
    return parsed;
}

MessagingPlan interpret_messaging(std::string_view body) {
    MessagingPlan plan;
    ParsedTwiml parsed = parse_twiml(body);
    if (parsed.error_code != 0) {
        plan.error_code = parsed.error_code;
        plan.error = parsed.error;
        return plan;
    }
    for (const TwimlNode& verb : parsed.root.children) {
        if (verb.name == "Message" || verb.name == "Sms") {
            ReplyMessage message;
            message.to = attribute(verb, "to");
            message.body = verb.text;
            for (const TwimlNode& noun : verb.children) {
                if (noun.name == "Body") message.body = noun.text;
                if (noun.name == "Media" && !noun.text.empty()) message.media.push_back(noun.text);
            }
            plan.messages.push_back(std::move(message));
        } else if (verb.name == "Redirect") {
            plan.redirect = verb.text;
            break;  // what follows a <Redirect> is never read
        } else {
            plan.ignored.push_back(verb.name);
        }
    }
    return plan;
}

VoicePlan interpret_voice(std::string_view body) {
    VoicePlan plan;
    ParsedTwiml parsed = parse_twiml(body);
    if (parsed.error_code != 0) {
        plan.error_code = parsed.error_code;
        plan.error = parsed.error;
        return plan;
    }
    for (const TwimlNode& node : parsed.root.children) {
        VoiceVerb verb;
        if (node.name == "Say") {
            verb.kind = VoiceVerb::Kind::say;
            verb.text = node.text;
        } else if (node.name == "Play") {
            verb.kind = VoiceVerb::Kind::play;
            verb.text = node.text;
        } else if (node.name == "Pause") {
            verb.kind = VoiceVerb::Kind::pause;
        } else if (node.name == "Hangup") {
            verb.kind = VoiceVerb::Kind::hangup;
        } else if (node.name == "Reject") {
            verb.kind = VoiceVerb::Kind::reject;
            verb.text = attribute(node, "reason").empty() ? "rejected" : attribute(node, "reason");
        } else if (node.name == "Redirect") {
            verb.kind = VoiceVerb::Kind::redirect;
            verb.text = node.text;
            verb.method = method_of(node);
        } else if (node.name == "Dial") {
            verb.kind = VoiceVerb::Kind::dial;
            verb.number = node.text;
            for (const TwimlNode& noun : node.children) {
                if (noun.name == "Number" || noun.name == "Sip" || noun.name == "Client") {
                    verb.number = noun.text;
                    break;
                }
            }
            verb.timeout = timeout_of(node);
            verb.action = attribute(node, "action");
            verb.method = method_of(node);
            verb.caller_id = attribute(node, "callerId");
            if (verb.number.empty()) {
                plan.error_code = 12100;
                plan.error = "Document parse failure: <Dial> names nobody to dial";
                return plan;
            }
        } else {
            plan.ignored.push_back(node.name);
            continue;
        }
        plan.verbs.push_back(std::move(verb));
    }
    return plan;
}

}  // namespace sb::sandbox::twilio
