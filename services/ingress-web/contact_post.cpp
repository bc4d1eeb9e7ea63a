#include "contact_post.h"

#include "contact_form.h"
#include "form_decoding.h"
#include "switchboard/text.h"
#include "switchboard/time_format.h"

namespace sb::web {
namespace {

constexpr const char* kChannel = "web";
constexpr const char* kUnreadableTitle = "We could not read that form";
constexpr const char* kUseTheForm = "Please send your message with the form on our contact page.";

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string csrf_notice(CsrfCheck check) {
    switch (check) {
        case CsrfCheck::busy:
            return "We are very busy right now. Please try again in a minute.";
        case CsrfCheck::expired:
            return "This form was open for a long time and expired, so we did not send it. "
                   "Please check your details and press Send message again.";
        case CsrfCheck::replayed:
            return "This form was already sent once, so we did not send it again. To send "
                   "another message, press Send message.";
        default:
            return "We could not confirm that this form came from our site, so we did not "
                   "send it. Please press Send message again.";
    }
}

std::string_view field_value(const FormFields& fields, const char* name) {
    const auto found = fields.find(name);
    return found == fields.end() ? std::string_view{} : std::string_view(found->second);
}

FormAnswer form_again(int status, std::string reason, ContactInput input, CsrfTokens& csrf,
                      const Moment& now) {
    FormAnswer answer;
    answer.status = status;
    answer.reason = std::move(reason);
    answer.view.input = std::move(input);
    answer.view.csrf_token = csrf.issue(now.unix_seconds());
    return answer;
}

}  // namespace

ProblemAnswer too_large_problem() {
    ProblemAnswer answer;
    answer.status = 413;
    answer.reason = "too_large";
    answer.title = "Your message is too long";
    answer.detail = "Please shorten your message to 2,000 characters and send it again.";
    return answer;
}

ContactOutcome decide_contact_post(const ContactPost& post, const Settings& settings,
                                   ContactGuards guards, const Moment& now) {
    if (post.read == BodyRead::over_cap) {
        ProblemAnswer answer = too_large_problem();
        answer.warning = std::string("POST ") + path::contact + ": body over " +
                         std::to_string(settings.max_body_bytes) + " bytes from " + post.client;
        return answer;
    }
    if (post.read == BodyRead::unreadable) {
        return ProblemAnswer{400,
                             "broken_encoding",
                             kUnreadableTitle,
                             kUseTheForm,
                             std::chrono::seconds(0),
                             "contact form: unreadable body from " + post.client};
    }
    const RateDecision rate = guards.limiter.take(rate_limit_key(post.client), now.steady);
    if (!rate.allowed) {
        return ProblemAnswer{429,
                             "rate_limited",
                             "Too many messages",
                             "You have sent several messages in a short time. Please wait a "
                             "minute and try again.",
                             rate.retry_after,
                             "contact form: rate limit for " + post.client};
    }
    if (!starts_with_ignoring_case(post.content_type, "application/x-www-form-urlencoded")) {
        return ProblemAnswer{415,         "unsupported_media_type", kUnreadableTitle,
                             kUseTheForm, std::chrono::seconds(0),  ""};
    }
    const DecodedForm decoded = decode_form(post.body);
    if (!decoded.fields) {
        return ProblemAnswer{400,
                             "broken_encoding",
                             kUnreadableTitle,
                             "Some of the text was garbled on its way to us. Please type your "
                             "message again on our contact page.",
                             std::chrono::seconds(0),
                             "contact form refused: " + decoded.error};
    }
    const FormFields& fields = *decoded.fields;
    ContactInput input = contact_input_from(fields);

    const CsrfCheck check =
        guards.csrf.consume(field_value(fields, field::csrf), now.unix_seconds());
    if (check != CsrfCheck::ok) {
        const bool busy = check == CsrfCheck::busy;
        FormAnswer answer = form_again(busy ? 503 : 403, std::string(to_string(check)),
                                       std::move(input), guards.csrf, now);
        answer.view.notice = csrf_notice(check);
        answer.warning = "contact form refused: " + answer.reason + " from " + post.client;
        return answer;
    }

    if (!field_value(fields, field::honeypot).empty()) {
        return DecoyAnswer{"contact form: honeypot filled from " + post.client};
    }

    const ContactValidation validation = validate_contact(input);
    if (!validation.ok()) {
        FormAnswer answer = form_again(422, "invalid_input", std::move(input), guards.csrf, now);
        answer.view.errors = validation.errors;
        return answer;
    }

    AcceptedContact accepted;
    accepted.message.customer = validation.e164;
    accepted.message.channel = kChannel;
    accepted.message.text = validation.message;
    accepted.message.email = validation.email;
    accepted.message.name = validation.name;
    accepted.message.received_at = iso8601(now.wall);
    accepted.input = std::move(input);
    return accepted;
}

FormAnswer contact_publish_failed(const AcceptedContact& accepted, CsrfTokens& csrf,
                                  const Moment& now) {
    FormAnswer answer = form_again(503, "publish_failed", accepted.input, csrf, now);
    answer.view.notice =
        "Sorry, we could not take your message just now. Please try again in a minute.";
    return answer;
}

}  // namespace sb::web
