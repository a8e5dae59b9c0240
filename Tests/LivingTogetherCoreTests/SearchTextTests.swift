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
