#include "contact_form.h"

#include <doctest/doctest.h>

using namespace sb::web;

namespace {
ContactInput good() {
    return {"Ann Lee", "ann@example.com", "(208) 555-0123", "Where is my order?"};
}
}  // namespace

TEST_CASE("a complete form is valid and its values come out cleaned") {
    ContactInput input = good();
    input.message = "  Line one\r\nLine two  ";
    const ContactValidation result = validate_contact(input);
    REQUIRE(result.ok());
    CHECK(result.e164 == "+12085550123");
    CHECK(result.message == "Line one\nLine two");
    CHECK(result.email == "ann@example.com");
    CHECK(result.name == "Ann Lee");
}

TEST_CASE("name and email are optional") {
    const ContactValidation result = validate_contact({"", "", "+44 7911 123456", "hello"});
    REQUIRE(result.ok());
    CHECK(result.e164 == "+447911123456");
}

TEST_CASE("each broken field gets its own error, in page order") {
    const ContactValidation result = validate_contact({"", "not-an-email", "12", "   "});
    REQUIRE(result.errors.size() == 3);
    CHECK(result.errors[0].field == "phone");
    CHECK(result.errors[1].field == "email");
    CHECK(result.errors[2].field == "message");
    CHECK(result.error_for("message") == "Enter your message.");
    CHECK(result.error_for("name").empty());
}

TEST_CASE("phone: required, and a number that can exist (libphonenumber)") {
    struct Case {
        const char* phone;
        bool ok;
    };
    const Case cases[] = {
        {"2085550123", true},
        {"+1 (208) 555-0123", true},
        {"+44 7911 123456", true},
        {"", false},
        {"   ", false},
        {"12345", false},
        {"+1 000 000 0000", false},
        {"call me", false},
        {"<script>", false},
        {"+12085550123456789012345678901234567890123", false},
    };
    for (const Case& c : cases) {
        CAPTURE(c.phone);
        ContactInput input = good();
        input.phone = c.phone;
        CHECK(validate_contact(input).error_for("phone").empty() == c.ok);
    }
    ContactInput empty = good();
    empty.phone = "";
    CHECK(validate_contact(empty).error_for("phone") ==
          "Enter your mobile number, so we can text you back.");
}

TEST_CASE("email: valid when given") {
    const char* valid[] = {"a@b.co", "first.last+tag@mail.example.org", "x@xn--bcher-kva.ch",
                           "o'brien@example.ie"};
    const char* invalid[] = {"plain",    "@example.com",   "a@",       "a@b",      "a@b.c",
                             "a@@b.com", "a b@c.com",      "a@b..com", ".a@b.com", "a.@b.com",
                             "a@-b.com", "<script>@x.com", "a@b.c0m"};
    for (const char* address : valid) {
        CAPTURE(address);
        CHECK(is_plausible_email(address));
    }
    for (const char* address : invalid) {
        CAPTURE(address);
        CHECK_FALSE(is_plausible_email(address));
        ContactInput input = good();
        input.email = address;
        CHECK_FALSE(validate_contact(input).error_for("email").empty());
    }
    CHECK_FALSE(is_plausible_email(std::string(250, 'a') + "@b.com"));
}

TEST_CASE("message: required, capped in characters (not bytes), no control characters") {
    ContactInput input = good();
    input.message = std::string(kMaxMessageChars, 'x');
    CHECK(validate_contact(input).ok());
    input.message = std::string(kMaxMessageChars + 1, 'x');
    CHECK(validate_contact(input).error_for("message") ==
          "Your message is 2,001 characters long; keep it to 2,000 or fewer.");
    std::string accents;
    for (std::size_t i = 0; i < kMaxMessageChars; ++i) accents += "é";  // 2 bytes each
    input.message = accents;
    CHECK(validate_contact(input).ok());
    input.message = "bell\x07";
    CHECK_FALSE(validate_contact(input).error_for("message").empty());
}

TEST_CASE("name: capped, no control characters") {
    ContactInput input = good();
    input.name = std::string(kMaxNameChars + 1, 'n');
    CHECK_FALSE(validate_contact(input).error_for("name").empty());
    input.name = "Ann\nLee";
    CHECK_FALSE(validate_contact(input).error_for("name").empty());
}

TEST_CASE("contact_input_from keeps what was typed, missing fields empty") {
    const FormFields fields{{"phone", " 208 "}, {"message", "hi"}, {"other", "x"}};
    const ContactInput input = contact_input_from(fields);
    CHECK(input.phone == " 208 ");
    CHECK(input.message == "hi");
    CHECK(input.email.empty());
    CHECK(input.name.empty());
}
