#include "switchboard/delivery_journal_records.h"

#include <stdexcept>
#include <type_traits>

namespace sb::delivery::records {
namespace {

using nlohmann::json;

// A record that is not what its kind says: decode() turns this into the reason.
struct BadRecord : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const json& member(const json& record, const char* name) {
    const auto found = record.find(name);
    if (found == record.end()) throw BadRecord(std::string(name) + " is missing");
    return *found;
}

std::string text(const json& record, const char* name) {
    const json& value = member(record, name);
    if (!value.is_string()) throw BadRecord(std::string(name) + " must be a string");
    return value.get<std::string>();
}

std::uint64_t number_value(const json& value, const std::string& name) {
    if (!value.is_number_unsigned()) {
        throw BadRecord(name + " must be a non-negative integer");
    }
    return value.get<std::uint64_t>();
}

std::uint64_t number(const json& record, const char* name) {
    return number_value(member(record, name), name);
}

const json& array(const json& record, const char* name) {
    const json& value = member(record, name);
    if (!value.is_array()) throw BadRecord(std::string(name) + " must be an array");
    return value;
}

json with_kind(const char* kind) {
    return {{field::kind, kind}};
}

json encode_one(const Unknown& record) {
    return record.kind.empty() ? json::object() : with_kind(record.kind.c_str());
}

json encode_one(const Epoch& record) {
    json out = with_kind(kind::epoch);
    out[field::epoch] = record.epoch;
    return out;
}

json encode_one(const OutStream& record) {
    json out = with_kind(kind::out_stream);
    out[field::topic] = record.topic;
    out[field::next] = record.next;
    out[field::acked] = record.acked;
    return out;
}

json encode_one(const Out& record) {
    json out = with_kind(kind::out);
    out[field::topic] = record.topic;
    out[field::seq] = record.seq;
    out[field::event] = record.event;
    return out;
}

json encode_one(const Ack& record) {
    json out = with_kind(kind::ack);
    out[field::topic] = record.topic;
    out[field::seq] = record.seq;
    return out;
}

// The members an inbound stream's records share.
void put_stream(json& out, const std::string& stream, const std::string& producer,
                const std::string& epoch, const std::string& topic) {
    out[field::stream] = stream;
    out[field::producer] = producer;
    out[field::producer_epoch] = epoch;
    out[field::topic] = topic;
}

json encode_one(const InStream& record) {
    json out = with_kind(kind::in_stream);
    put_stream(out, record.stream, record.producer, record.epoch, record.topic);
    out[field::next] = record.next;
    return out;
}

json encode_one(const In& record) {
    json out = with_kind(kind::in);
    out[field::order] = record.order;
    put_stream(out, record.stream, record.producer, record.epoch, record.topic);
    out[field::seq] = record.seq;
    out[field::event] = record.event;
    return out;
}

json encode_one(const Skip& record) {
    json out = with_kind(kind::skip);
    put_stream(out, record.stream, record.producer, record.epoch, record.topic);
    out[field::seq] = record.seq;
    return out;
}

json encode_one(const Memory& record) {
    json out = with_kind(kind::memory);
    out[field::key] = record.key;
    out[field::value] = record.value;
    return out;
}

template <class Tx>
json encode_transaction(Tx&& record) {
    constexpr bool movable = !std::is_const_v<std::remove_reference_t<Tx>>;
    json out = with_kind(kind::transaction);
    json& done = out[field::done] = json::array();
    for (const InboundRef& ref : record.done) done.push_back({ref.stream, ref.seq});
    json& outs = out[field::outs] = json::array();
    for (auto& item : record.outs) {
        json entry = {{field::topic, item.topic}, {field::seq, item.seq}};
        if constexpr (movable) {
            entry[field::event] = std::move(item.event);
        } else {
            entry[field::event] = item.event;
        }
        outs.push_back(std::move(entry));
    }
    if (!record.memory.empty()) {
        json& memory = out[field::memory_changes] = json::array();
        for (const MemoryChange& change : record.memory) {
            memory.push_back(change.value ? json::array({change.key, *change.value})
                                          : json::array({change.key}));
        }
    }
    return out;
}

json encode_one(const Transaction& record) {
    return encode_transaction(record);
}

template <class Stream>
void read_stream(const json& record, Stream& out) {
    out.stream = text(record, field::stream);
    out.producer = text(record, field::producer);
    out.epoch = text(record, field::producer_epoch);
    out.topic = text(record, field::topic);
}

Transaction decode_transaction(const json& record) {
    Transaction out;
    for (const json& ref : array(record, field::done)) {
        if (!ref.is_array() || ref.size() != 2 || !ref[0].is_string()) {
            throw BadRecord("done holds [stream, seq] pairs");
        }
        out.done.push_back({ref[0].get<std::string>(), number_value(ref[1], "done's seq")});
    }
    for (const json& item : array(record, field::outs)) {
        if (!item.is_object()) throw BadRecord("outs holds objects");
        out.outs.push_back(
            {text(item, field::topic), number(item, field::seq), member(item, field::event)});
    }
    if (record.contains(field::memory_changes)) {
        for (const json& change : array(record, field::memory_changes)) {
            if (!change.is_array() || change.empty() || change.size() > 2 ||
                !change[0].is_string()) {
                throw BadRecord("mem holds [key, value] or [key]");
            }
            out.memory.push_back({change[0].get<std::string>(), change.size() > 1
                                                                    ? std::optional<json>(change[1])
                                                                    : std::nullopt});
        }
    }
    return out;
}

// The record's kind, or empty when it names none.
std::string kind_of(const json& record) {
    if (!record.is_object() || !record.contains(field::kind)) return {};
    const json& kind_value = record.at(field::kind);
    return kind_value.is_string() ? kind_value.get<std::string>() : std::string();
}

Record decode_unguarded(const json& record, const std::string& name) {
    if (!record.is_object()) throw BadRecord("a record must be a JSON object");
    if (name.empty()) return Unknown{};
    if (name == kind::epoch) return Epoch{text(record, field::epoch)};
    if (name == kind::out_stream) {
        return OutStream{text(record, field::topic), number(record, field::next),
                         number(record, field::acked)};
    }
    if (name == kind::out) {
        return Out{text(record, field::topic), number(record, field::seq),
                   member(record, field::event)};
    }
    if (name == kind::ack) return Ack{text(record, field::topic), number(record, field::seq)};
    if (name == kind::in_stream) {
        InStream out;
        read_stream(record, out);
        out.next = number(record, field::next);
        return out;
    }
    if (name == kind::in) {
        In out;
        out.order = number(record, field::order);
        read_stream(record, out);
        out.seq = number(record, field::seq);
        try {
            out.event = member(record, field::event).get<Envelope>();
        } catch (const std::exception& error) {
            throw BadRecord(std::string("e is not an envelope: ") + error.what());
        }
        return out;
    }
    if (name == kind::skip) {
        Skip out;
        read_stream(record, out);
        out.seq = number(record, field::seq);
        return out;
    }
    if (name == kind::transaction) return decode_transaction(record);
    if (name == kind::memory) return Memory{text(record, field::key), member(record, field::value)};
    return Unknown{name};
}

}  // namespace

json encode(const Record& record) {
    return std::visit([](const auto& one) { return encode_one(one); }, record);
}

json encode(Transaction&& transaction) {
    return encode_transaction(std::move(transaction));
}

wire::Decoded<Record> decode(const json& record) {
    const std::string kind_name = kind_of(record);
    try {
        return {decode_unguarded(record, kind_name), {}};
    } catch (const std::exception& error) {
        return wire::Decoded<Record>::rejected("journal record '" + kind_name +
                                               "': " + error.what());
    }
}

}  // namespace sb::delivery::records
