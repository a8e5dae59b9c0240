/// What a library search asks for: words, and filters on the records' tags.
public struct KnowledgeQuery: Sendable, Equatable {
    public var text: String
    public var kind: Practice.Kind?
    public var theme: String?
    public var keyFactor: String?
    public var action: String?
    public var country: String?
    public var band: SizeBand?
    public var language: String?
    public var page: Int
    public var perPage: Int

    public init(text: String = "", kind: Practice.Kind? = nil, theme: String? = nil, keyFactor: String? = nil,
                action: String? = nil, country: String? = nil, band: SizeBand? = nil, language: String? = nil,
                page: Int = 1, perPage: Int = 20) {
        self.text = String(text.prefix(200)); self.kind = kind; self.theme = theme; self.keyFactor = keyFactor
        self.action = action; self.country = country; self.band = band; self.language = language
        self.perPage = min(max(1, perPage), 100)
        self.page = min(max(1, page), 100_000)
    }
}

/// One record as the index holds it: the id the app finds it by and the tags the filters test.
public struct KnowledgeEntry: Sendable, Equatable {
    public var id: Int
    public var kind: Practice.Kind
    public var title: LocalizedText
    public var themes: Set<String>
    public var keyFactors: Set<String>
    public var actions: Set<String>
    public var country: String
    public var bands: Set<SizeBand>
    public var languages: Set<String>

    public init(id: Int, practice p: Practice) {
        self.id = id; kind = p.kind; title = p.title; themes = Set(p.themes); keyFactors = Set(p.keyFactors)
        actions = Set(p.catalogueActions); country = p.country; bands = Set(p.sizeBands); languages = Set(p.languages)
    }
}

public struct KnowledgePage: Sendable, Equatable {
    public var hits: [(entry: KnowledgeEntry, score: Double)]
    public var total: Int
    public var page: Int
    public var perPage: Int
    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }

    public static func == (a: KnowledgePage, b: KnowledgePage) -> Bool {
        a.total == b.total && a.page == b.page && a.perPage == b.perPage && a.hits.map(\.entry) == b.hits.map(\.entry)
    }
}

/// The library's full-text index, the same on SQLite and PostgreSQL because it is the app's own: every folded word
/// (case and accents ignored) of every record's title, summary and body in both languages, in one sorted array, so that
/// a search word finds the words it begins by binary search. A record matches when every search word is found in it;
/// its score adds, per search word, the weight of the fields the word occurs in (title 8, summary 3, body 1, a whole
/// word counting double a prefix), each field's weight taken once per word, so a long body does not outweigh a title.
/// Results are ordered by score, then title.
public struct KnowledgeSearchIndex: Sendable {
    public private(set) var entries: [KnowledgeEntry]
    /// (word, entry index, field weight), sorted by word.
    private var words: [(word: String, entry: Int32, weight: Float)]
    /// Per language, the entry indices in title order, and each entry's place in it (for ties and for browsing).
    private var byTitle: [String: [Int32]]
    private var titleRank: [String: [Int32]]

    public static let titleWeight: Float = 8, summaryWeight: Float = 3, bodyWeight: Float = 1

    /// `records`: each record's id and its content.
    public init(records: [(id: Int, practice: Practice)]) {
        var entries: [KnowledgeEntry] = []
        entries.reserveCapacity(records.count)
        var words: [(String, Int32, Float)] = []
        for (i, r) in records.enumerated() {
            entries.append(KnowledgeEntry(id: r.id, practice: r.practice))
            var best: [Substring: Float] = [:]
            for lang in ContentChecker.requiredLanguages {
                let t = r.practice.searchTexts(lang)
                for (text, weight) in [(t.title, Self.titleWeight), (t.summary, Self.summaryWeight), (t.body, Self.bodyWeight)] {
                    var seen = Set<Substring>()
                    for w in SearchText.words(SearchText.fold(text)) where seen.insert(w).inserted {
                        best[w, default: 0] += weight
                    }
                }
            }
            for (w, weight) in best { words.append((String(w), Int32(i), weight)) }
        }
        words.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        self.words = words.map { (word: $0.0, entry: $0.1, weight: $0.2) }
        self.entries = entries
        var byTitle: [String: [Int32]] = [:], titleRank: [String: [Int32]] = [:]
        for lang in ContentChecker.requiredLanguages {
            let titles = entries.map { SearchText.fold($0.title(lang)) }
            let order = entries.indices.sorted { titles[$0] != titles[$1] ? titles[$0] < titles[$1] : $0 < $1 }.map { Int32($0) }
            var rank = [Int32](repeating: 0, count: entries.count)
            for (r, i) in order.enumerated() { rank[Int(i)] = Int32(r) }
            byTitle[lang] = order
            titleRank[lang] = rank
        }
        self.byTitle = byTitle
        self.titleRank = titleRank
    }

    public var count: Int { entries.count }

    /// Adds one search word's score into `total`: per entry the best weight of a word it begins (doubled for the
    /// whole word); entries without such a word drop out (-1).
    private func add(prefix: Substring, into total: inout [Float], first: Bool) {
        var lo = 0, hi = words.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if words[mid].word < prefix { lo = mid + 1 } else { hi = mid }
        }
        var term = [Float](repeating: 0, count: entries.count)
        var i = lo
        while i < words.count, words[i].word.hasPrefix(prefix) {
            let w = words[i]
            let s = w.word.count == prefix.count ? w.weight * 2 : w.weight
            let e = Int(w.entry)
            if s > term[e] { term[e] = s }
            i += 1
        }
        for e in total.indices {
            if total[e] < 0 { continue }
            if term[e] == 0 { total[e] = -1 } else { total[e] = (first ? 0 : total[e]) + term[e] }
        }
    }

    public func search(_ q: KnowledgeQuery, language: String = "en") -> KnowledgePage {
        func keep(_ e: KnowledgeEntry) -> Bool {
            if let k = q.kind, e.kind != k { return false }
            if let t = q.theme, !e.themes.contains(t) { return false }
            if let k = q.keyFactor, !e.keyFactors.contains(k) { return false }
            if let a = q.action, !e.actions.contains(a) { return false }
            if let c = q.country, e.country != c { return false }
            if let b = q.band, !e.bands.contains(b) { return false }
            if let l = q.language, !e.languages.contains(l) { return false }
            return true
        }
        let lang = byTitle[language] == nil ? "en" : language
        let order = byTitle[lang] ?? [], rank = titleRank[lang] ?? []
        let terms = SearchText.words(SearchText.fold(q.text))
        var ranked: [(entry: Int32, score: Float)]
        if terms.isEmpty {
            ranked = order.filter { keep(entries[Int($0)]) }.map { ($0, 0) }
        } else {
            var total = [Float](repeating: 0, count: entries.count)
            for (n, t) in terms.enumerated() { add(prefix: t, into: &total, first: n == 0) }
            ranked = []
            for (e, score) in total.enumerated() where score > 0 && keep(entries[e]) { ranked.append((Int32(e), score)) }
            ranked.sort { $0.score != $1.score ? $0.score > $1.score : rank[Int($0.entry)] < rank[Int($1.entry)] }
        }
        let start = (q.page - 1) * q.perPage
        let slice = start < ranked.count ? ranked[start..<min(ranked.count, start + q.perPage)] : []
        return KnowledgePage(hits: slice.map { (entry: entries[Int($0.entry)], score: Double($0.score)) }, total: ranked.count,
                             page: q.page, perPage: q.perPage)
    }
}
