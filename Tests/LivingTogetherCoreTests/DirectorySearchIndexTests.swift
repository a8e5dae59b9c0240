import Testing
@testable import LivingTogetherCore

@Suite struct DirectorySearchIndexTests {
    static func entry(_ id: Int, _ name: String, _ country: String, _ population: Int?, kind: OrganisationKind = .municipality) -> DirectoryEntry {
        DirectoryEntry(id: id, kind: kind, name: name, country: country, region: nil, population: population, slug: Slug.make(name))
    }

    let index = DirectorySearchIndex(entries: [
        entry(1, "Malmö", "SE", 362_133),
        entry(2, "Livadeiá", "GR", 21_492),
        entry(3, "Mechelen", "BE", 77_530),
        entry(4, "Mechelen", "NL", 1_375),
        entry(5, "Sint-Niklaas", "BE", 69_010),
        entry(6, "Saint-Jean-de-la-Ruelle", "FR", 17_522),
        entry(7, "Association of Flemish Cities and Municipalities (VVSG)", "BE", nil, kind: .association),
        entry(8, "Antwerp", "BE", 529_247),
    ])

    @Test func ignoresCaseAndAccents() {
        #expect(index.search(DirectoryQuery(text: "malmo")).entries.map(\.name) == ["Malmö"])
        #expect(index.search(DirectoryQuery(text: "LIVADEIA")).entries.map(\.name) == ["Livadeiá"])
        #expect(index.search(DirectoryQuery(text: "malmö")).total == 1)
    }

    @Test func matchesWordPrefixesInAnyOrder() {
        #expect(index.search(DirectoryQuery(text: "niklaas")).entries.map(\.id) == [5])
        #expect(index.search(DirectoryQuery(text: "ruelle saint")).entries.map(\.id) == [6])
        #expect(index.search(DirectoryQuery(text: "mech")).entries.map(\.id) == [3, 4], "largest first")
        #expect(index.search(DirectoryQuery(text: "vvsg")).entries.map(\.id) == [7])
        #expect(index.search(DirectoryQuery(text: "saint zzz")).total == 0)
    }

    @Test func filtersByCountryBandAndKind() {
        #expect(index.search(DirectoryQuery(text: "mechelen", country: "nl")).entries.map(\.id) == [4])
        #expect(index.search(DirectoryQuery(country: "BE", band: .m)).entries.map(\.id) == [3, 5])
        #expect(index.search(DirectoryQuery(band: .xl)).entries.map(\.id) == [8])
        #expect(index.search(DirectoryQuery(kind: .association)).entries.map(\.id) == [7])
    }

    @Test func paginatesAndCounts() {
        let first = index.search(DirectoryQuery(page: 1, perPage: 3))
        #expect(first.total == 8)
        #expect(first.pageCount == 3)
        #expect(first.entries.map(\.id) == [8, 1, 3])
        let last = index.search(DirectoryQuery(page: 3, perPage: 3))
        #expect(last.entries.map(\.id) == [4, 7], "no population sorts last")
        #expect(index.search(DirectoryQuery(page: 9, perPage: 3)).entries.isEmpty)
        #expect(DirectoryQuery(page: 0, perPage: 1000).perPage == 100)
    }

    @Test func sizeBandsCoverEveryPopulationOnce() {
        for p in [0, 4_999, 5_000, 19_999, 20_000, 99_999, 100_000, 499_999, 500_000, 9_000_000] {
            #expect(SizeBand.allCases.filter { $0.contains(p) }.count == 1)
        }
        #expect(SizeBand.of(population: 77_530) == .m)
        #expect(SizeBand.of(population: 500_000) == .xl)
    }

    /// The index answers what a plain scan of every name would answer, for many generated directories and queries.
    @Test func agreesWithABruteForceScan() {
        var rng = SplitMix(seed: 42)
        let syllables = ["ma", "lmö", "sint", "ni", "klaas", "gent", "ber", "lin", "é", "ruelle", "saint", "jean", "ost", "end"]
        let countries = ["BE", "NL", "FR", "SE"]
        for _ in 0..<20 {
            var entries: [DirectoryEntry] = []
            for id in 1...200 {
                let words = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                    (0..<Int.random(in: 1...3, using: &rng)).map { _ in syllables.randomElement(using: &rng)! }.joined()
                }
                let pop = Bool.random(using: &rng) ? Int.random(in: 0...900_000, using: &rng) : nil
                entries.append(Self.entry(id, words.joined(separator: Bool.random(using: &rng) ? " " : "-"), countries.randomElement(using: &rng)!, pop))
            }
            let index = DirectorySearchIndex(entries: entries)
            for _ in 0..<30 {
                let text = (0..<Int.random(in: 0...2, using: &rng)).map { _ in String(syllables.randomElement(using: &rng)!.prefix(Int.random(in: 1...3, using: &rng))) }.joined(separator: " ")
                let country = Bool.random(using: &rng) ? countries.randomElement(using: &rng) : nil
                let band = Bool.random(using: &rng) ? SizeBand.allCases.randomElement(using: &rng) : nil
                var q = DirectoryQuery(text: text, country: country, band: band, perPage: 100)
                let terms = SearchText.words(SearchText.fold(text))
                let expected = Set(entries.filter { e in
                    let words = SearchText.words(SearchText.fold(e.name))
                    return terms.allSatisfy { t in words.contains { $0.hasPrefix(t) } }
                        && (country == nil || e.country == country)
                        && (band == nil || (e.population.map { band!.contains($0) } ?? false))
                }.map(\.id))
                // Walk every page: together they hold exactly the expected entries, largest first.
                var got: [DirectoryEntry] = []
                var page = index.search(q)
                #expect(page.total == expected.count, "query \(text) \(country ?? "-") \(band?.rawValue ?? "-")")
                while !page.entries.isEmpty {
                    got += page.entries
                    q.page += 1
                    page = index.search(q)
                }
                #expect(got.count == expected.count)
                #expect(Set(got.map(\.id)) == expected, "query \(text) \(country ?? "-") \(band?.rawValue ?? "-")")
                let pops = got.map { $0.population ?? -1 }
                #expect(pops == pops.sorted(by: >), "largest first")
            }
        }
    }

    @Test func findsEntriesById() {
        #expect(index.entry(id: 2)?.name == "Livadeiá")
        #expect(index.entry(id: 99) == nil)
    }
}

/// A small deterministic random generator, so that generated cases repeat exactly.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

}

extension DirectorySearchIndexTests {
    @Test func findsOtherNamesOnceAndSaysWhichMatched() {
        var antwerp = DirectorySearchIndexTests.entry(1, "Antwerp", "BE", 529_247)
        antwerp.alternateNames = ["Antwerpen", "Anvers"]
        var gent = DirectorySearchIndexTests.entry(2, "Gent", "BE", 265_086)
        gent.alternateNames = ["Ghent", "Gand"]
        let index = DirectorySearchIndex(entries: [antwerp, gent, DirectorySearchIndexTests.entry(3, "Gentbrugge", "BE", 20_000)])
        #expect(index.search(DirectoryQuery(text: "antwerpen")).entries.map(\.id) == [1])
        #expect(index.search(DirectoryQuery(text: "ANVERS")).total == 1)
        #expect(index.search(DirectoryQuery(text: "ghent")).entries.map(\.id) == [2])
        #expect(index.search(DirectoryQuery(text: "gent")).entries.map(\.id) == [2, 3], "each place once")
        #expect(antwerp.alternateMatching("antwerpen") == "Antwerpen")
        #expect(antwerp.alternateMatching("antw") == nil, "its own name matches")
        #expect(gent.alternateMatching("gand") == "Gand")
    }
}
