// POST /api/tropo-webhook/?transfer_event=…: the result Tropo (or anyone who found the URL)
// posts when a transfer ends, read by parse_transfer_result under a correctly signed URL (so
// the body is what gets explored); and the same bytes as the URL's parameters, which must
// never pass the signature check.
#include "fuzz_check.h"
#include "switchboard/form_urlencoded.h"
#include "transfer_result.h"

using namespace sb::tropo_gateway;

namespace {

constexpr const char* kKey = "fuzz-key";

ResultParams signed_params() {
    ResultParams params;
    const auto decoded = sb::form::decode_pairs(
        result_reference("incomplete", "call-1", "+12088675309", kKey, "").substr(1), 10);
    for (const auto& [name, value] : *decoded.pairs) {
        if (name == result_param::event) params.event = value;
        if (name == result_param::call) params.call_id = value;
        if (name == result_param::from) params.from = value;
        if (name == result_param::sig) params.sig = value;
    }
    return params;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = sb::fuzz::as_text(data, size);
    static const ResultParams params = signed_params();
    const TransferParse parsed = parse_transfer_result(params, body, kKey);
    if (parsed) {
        const TransferOutcome& outcome = *parsed.outcome;
        FUZZ_CHECK(outcome.outcome == "missed" || outcome.outcome == "answered");
        FUZZ_CHECK(!outcome.detail.empty() && outcome.detail.size() <= 40);
        FUZZ_CHECK(outcome.call_id == "call-1" && outcome.from == "+12088675309");
    } else {
        FUZZ_CHECK(parsed.status == 400);
        FUZZ_CHECK(!parsed.code.empty() && !parsed.reason.empty());
    }
    // The bytes as forged parameters: refused, whatever they say.
    ResultParams forged{"incomplete", std::string(body.substr(0, 64)), "+12088675309",
                        std::string(body.substr(0, 64))};
    const TransferParse refused = parse_transfer_result(forged, R"({"result":{}})", kKey);
    FUZZ_CHECK(!refused && (refused.status == 400 || refused.status == 403));
    return 0;
}
