// POST /api/spark-webhook/: the raw body Webex delivers and its X-Spark-Signature, decided by
// check_delivery (signature first, then parse_webhook). The input is the body; the signature is
// made from it the way Webex makes it, so the parser behind the check is reached, and a header
// taken from the input stands for a forger's.
#include <cctype>

#include "fuzz_check.h"
#include "signature.h"
#include "webhook_intake.h"

using namespace sb::spark_gateway;

namespace {

const std::string kSecret = "fuzz-webhook-secret";

bool is_webex_id(const std::string& id) {
    for (const char c : id) {
        const bool allowed = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' ||
                             c == '=' || c == '-' || c == '_';
        if (!allowed) return false;
    }
    return !id.empty();
}

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(sb::fuzz::as_text(data, size));
    const std::string signature = hmac_sha1_hex(kSecret, body);

    // Signed as Webex signs: never refused for its signature, and what is accepted is sane.
    const Intake signed_delivery = check_delivery(kSecret, body, signature);
    FUZZ_CHECK(signed_delivery.status != 401 && signed_delivery.status != 403);
    FUZZ_CHECK(signed_delivery.notice.has_value() == (signed_delivery.reason == "accepted"));
    if (signed_delivery.notice) {
        const WebhookNotice& notice = *signed_delivery.notice;
        FUZZ_CHECK(is_webex_id(notice.message_id) && is_webex_id(notice.room_id));
        for (const std::string* field :
             {&notice.room_type, &notice.person_id, &notice.person_email, &notice.created}) {
            FUZZ_CHECK(field->size() <= 512);
        }
        // The skeleton that carries the notice on the journal gives the same notice back.
        const WebhookNotice again = notice_from(skeleton_from(notice));
        FUZZ_CHECK(again.message_id == notice.message_id && again.room_id == notice.room_id &&
                   again.person_email == notice.person_email && again.created == notice.created);
    }
    // Hex case is ignored; the parser's verdict is the same as without the check.
    const Intake upper_case = check_delivery(kSecret, body, upper(signature));
    FUZZ_CHECK(upper_case.status == signed_delivery.status);
    const ParsedNotice parsed = parse_webhook(body);
    FUZZ_CHECK(parsed.notice.has_value() == signed_delivery.notice.has_value());
    FUZZ_CHECK(!(parsed.ignored && parsed.notice));

    // Over the size limit: refused before anything else.
    if (!body.empty()) FUZZ_CHECK(check_delivery(kSecret, body, signature, size - 1).status == 413);
    // No secret configured: nothing verifies.
    FUZZ_CHECK(!signature_matches("", body, signature));

    // A forger's header: the input's first line, over the rest. Passes only when it is the
    // body's real signature.
    const std::size_t line_end = body.find('\n');
    if (line_end != std::string::npos && line_end <= 64) {
        const std::string header = body.substr(0, line_end);
        const std::string rest = body.substr(line_end + 1);
        const Intake forged = check_delivery(kSecret, rest, header);
        if (forged.status != 401 && forged.status != 403) {
            FUZZ_CHECK(lower(header) == hmac_sha1_hex(kSecret, rest));
        }
        FUZZ_CHECK(signature_matches(kSecret, rest, header) ==
                   (lower(header) == hmac_sha1_hex(kSecret, rest)));
    }
    return 0;
}
