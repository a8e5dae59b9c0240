import Foundation
@testable import LivingTogetherApp
import Testing

extension AppTests {
    /// Secrets for links, sessions and tokens: base64url of random bytes, as Foundation would write it.
    @Suite struct TokenEncoding {
        @Test func base64urlMatchesFoundationForEveryLength() {
            var generator = SystemRandomNumberGenerator()
            for length in 0...40 {
                let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
                let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                    .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
                #expect(Tokens.base64url(bytes) == expected, "\(length) bytes")
            }
        }

        @Test func tokensAreLongAndDifferent() {
            let tokens = (0..<200).map { _ in Tokens.random() }
            #expect(Set(tokens).count == 200 && tokens.allSatisfy { $0.count == 43 })
            #expect(Tokens.random(bytes: 9).count == 12)
        }
    }
}

extension AppTests {
    /// JSON written directly reads back as JSON with the same values.
    @Suite struct DirectJSON {
        @Test func stringsAndNumbersReadBack() throws {
            var w = JSONText()
            let tricky = "quote \" backslash \\ newline \n tab \t bell \u{7} é 👩‍👩‍👧 </script>"
            w.raw("{\"a\":"); w.string(tricky); w.raw(",\"b\":"); w.texts(["nl": "één", "en": "one"])
            w.raw(",\"c\":"); w.strings(["x", ""]); w.raw(",\"d\":"); w.number(2.5); w.raw(",\"e\":"); w.number(.nan)
            w.raw(",\"f\":"); w.number(16); w.raw("}")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(w.text.utf8)) as? [String: Any])
            #expect(object["a"] as? String == tricky)
            #expect(object["b"] as? [String: String] == ["nl": "één", "en": "one"])
            #expect(object["c"] as? [String] == ["x", ""] && object["d"] as? Double == 2.5 && object["e"] as? Int == 0)
            #expect(w.text.contains("\"f\":16}"))
        }

        @Test func queryFieldsAreReadOnce() {
            let q = QueryFields("q=language+caf%C3%A9&page=2&q=second&bad=%E0%A4%A&empty=&flag")
            #expect(q["q"] == "language café" && q.int("page") == 2 && q["bad"] == nil && q["empty"] == "" && q["flag"] == "")
            #expect(QueryFields(nil)["q"] == nil && QueryFields("page=99999999999999999999999").int("page") == nil)
        }

        @Test func placeholdersAreFilledInOnePass() {
            #expect(Strings.substitute("{0} of {1}, {0}!", ["a", "{1}"]) == "a of {1}, a!", "an argument is never read as a placeholder")
            #expect(Strings.substitute("{2} {x} {", ["a"]) == "{2} {x} {")
        }

        @Test func aKeptOptionListMarksTheSelectedOne() {
            let markup = Form.optionsMarkup([(value: "BE", label: "Belgium"), (value: "a\"b", label: "<odd>")])
            let be = Form.select(name: "country", label: "Country", first: (value: "", label: "All"), optionsMarkup: markup, selected: "BE").raw
            #expect(be.contains("<option value=\"BE\" selected>Belgium</option>") && !be.contains("<option value=\"\" selected>"))
            let odd = Form.select(name: "country", label: "Country", first: (value: "", label: "All"), optionsMarkup: markup,
                                  selected: "a\"b").raw
            #expect(odd.contains("<option value=\"a&quot;b\" selected>&lt;odd&gt;</option>"))
            let none = Form.select(name: "country", label: "Country", first: (value: "", label: "All"), optionsMarkup: markup, selected: "XX").raw
            #expect(!none.contains(" selected>Belgium") && !none.contains("XX"))
            #expect(SiteURL.practice("a b/c").path == "/knowledge/a%20b/c" && SiteURL.practice("hallo-nederlands").path == "/knowledge/hallo-nederlands")
        }
    }
}
