#include "outbound_media.h"

#include "switchboard/attachment_text.h"

namespace sb::twilio_gateway {

OutboundPlan plan_outbound(const SendSms& sms) {
    OutboundPlan plan;
    std::vector<Attachment> links;
    for (const Attachment& file : sms.attachments) {
        if (is_mms_picture(file.content_type) && plan.media_urls.size() < kMaxMediaUrls) {
            plan.media_urls.push_back(file.url);
        } else {
            links.push_back(file);
        }
    }
    plan.text = links.empty() ? sms.text : text_with_links(sms.text, links);
    return plan;
}

}  // namespace sb::twilio_gateway
