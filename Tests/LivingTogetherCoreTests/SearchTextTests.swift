import Foundation
import Testing
@testable import LivingTogetherCore

@Suite struct SearchTextTests {
    @Test func foldsCaseAndAccents() {
        #expect(SearchText.fold("Malmö") == "malmo")
        #expect(SearchText.fold("Livadeiá") == "livadeia")
        #expect(SearchText.fold("Saint-Jean-de-la-Ruelle") == "saint-jean-de-la-ruelle")
        #expect(SearchText.fold("ŁÓDŹ") == "lodz")
        #expect(SearchText.fold("Æbeltoft") == "aebeltoft")
        #expect(SearchText.fold("Straße") == "strasse")
        #expect(SearchText.fold("Ørsta") == "orsta")
    }

    /// The folding as it was written first (every character through Unicode), the reference of the fast one.
    static func referenceFold(_ text: String) -> String { SearchText.foldUnicode(text) }
    static func referenceWords(_ folded: String) -> [String] {
        folded.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    @Test func theFastFoldingAgreesWithUnicodeOnEveryShippedText() throws {
        let tricky = ["ÉCOLE Élève", "e\u{301}te\u{301}", "Ærø Œuvre STRASSE Straße", "İstanbul ıslak", "Ĳssel ǅemal",
                      "São Paulo, Łódź & Malmö!", "ΟΔΥΣΣΕΥΣ", "naïve café—résumé", "Zürich 2024 ½ ①", "Київ Рясно", "  ",
                      "tab\tnew\nline", "emoji 👩‍👩‍👧 end", "ﬁne ligature", "Å\u{30A}"]
        var texts = tricky
        let url = try #require(ShippedPractices.url())
        if case .success(let library) = PracticeLoader.load(try Data(contentsOf: url), file: "practices") {
            for p in library.records {
                for lang in ["en", "nl"] { let t = p.searchTexts(lang); texts += [t.title, t.summary, t.body] }
            }
        }
        #expect(texts.count > 100)
        for text in texts {
            #expect(SearchText.fold(text) == Self.referenceFold(text), "\(text.prefix(60))")
            #expect(SearchText.words(SearchText.fold(text)).map(String.init) == Self.referenceWords(Self.referenceFold(text)),
                    "\(text.prefix(60))")
        }
    }

    @Test func wordsSplitOnPunctuation() {
        #expect(SearchText.words("sint-niklaas (oost)").map(String.init) == ["sint", "niklaas", "oost"])
    }

    @Test func slugsAreASCII() {
        #expect(Slug.make("Saint-Jean-de-la-Ruelle") == "saint-jean-de-la-ruelle")
        #expect(Slug.make("Malmö") == "malmo")
        #expect(Slug.make("Рясно") == "organisation")
    }
}

@Suite struct CSVTests {
    @Test func quotedFieldsWithCommasAndQuotes() throws {
        let f = try CSV.fields(of: #"3185598,"Gjadër, Dajc",AL,"say ""hi""",,x"#).get()
        #expect(f == ["3185598", "Gjadër, Dajc", "AL", #"say "hi""#, "", "x"])
    }

    @Test func malformedQuotesAreErrors() {
        #expect(throws: CSV.LineError.unterminatedQuote) { try CSV.fields(of: #"1,"open"#).get() }
        #expect(throws: CSV.LineError.textAfterClosingQuote) { try CSV.fields(of: #"1,"a"b"#).get() }
    }

    @Test func linesSplitOnLFAndCRLF() {
        #expect(CSV.lines("a\r\nb\nc\n").map(String.init) == ["a", "b", "c"])
        #expect(CSV.lines("a\n\nb").map(String.init) == ["a", "", "b"])
    }

    @Test func escapeRoundTrips() throws {
        let fields = ["a,b", "say \"x\"", "plain", ""]
        #expect(try CSV.fields(of: Substring(CSV.line(fields))).get() == fields)
    }
}
