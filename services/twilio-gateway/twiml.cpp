#include "twiml.h"

namespace sb::twilio_gateway {
namespace {

constexpr const char* kDeclaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";

}  // namespace

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string empty_response() {
    return std::string(kDeclaration) + "<Response/>";
}

std::string dial_response(std::string_view number, int timeout_seconds,
                          std::string_view action_url) {
    return std::string(kDeclaration) + "<Response><Dial timeout=\"" +
           std::to_string(timeout_seconds) + "\" action=\"" + xml_escape(action_url) + "\">" +
           xml_escape(number) + "</Dial></Response>";
}

}  // namespace sb::twilio_gateway
