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
    /// The inverted index: every folded word, sorted, and per word the records it occurs in with the field's weight.
    private var vocabulary: [String]
    private var postings: [[(entry: Int32, weight: Float)]]
    /// Per filter value, which records carry it (one flag per record), so that a filter tests no record's tags.
    private var tagged: [String: [Bool]]
    /// Per language, the entry indices in title order, and each entry's place in it (for ties and for browsing).
    private var byTitle: [String: [Int32]]
    private var titleRank: [String: [Int32]]

    public static let titleWeight: Float = 8, summaryWeight: Float = 3, bodyWeight: Float = 1

    /// `records`: each record's id and its content.
    public init(records: [(id: Int, practice: Practice)]) {
        var entries: [KnowledgeEntry] = []
        entries.reserveCapacity(records.count)
        var index: [String: [(entry: Int32, weight: Float)]] = [:]
        var tagged: [String: [Bool]] = [:]
        func tag(_ key: String, _ i: Int) {
            tagged[key, default: [Bool](repeating: false, count: records.count)][i] = true
        }
        for (i, r) in records.enumerated() {
            let e = KnowledgeEntry(id: r.id, practice: r.practice)
            entries.append(e)
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
            for (w, weight) in best { index[String(w), default: []].append((Int32(i), weight)) }
            tag("kind:\(e.kind.rawValue)", i); tag("country:\(e.country)", i)
            for t in e.themes { tag("theme:\(t)", i) }
            for k in e.keyFactors { tag("kf:\(k)", i) }
            for a in e.actions { tag("action:\(a)", i) }
            for b in e.bands { tag("band:\(b.rawValue)", i) }
            for l in e.languages { tag("language:\(l)", i) }
        }
        let vocabulary = index.keys.sorted()
        self.vocabulary = vocabulary
        self.postings = vocabulary.map { index[$0] ?? [] }
        self.tagged = tagged
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

    /// Adds one search word's score into `total`: per record the best weight of a word it begins (doubled for the
    /// whole word); records without such a word drop out (-1).
    private func add(prefix: Substring, into total: inout [Float], first: Bool) {
        let p = String(prefix)
        var lo = 0, hi = vocabulary.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if vocabulary[mid] < p { lo = mid + 1 } else { hi = mid }
        }
        var term = [Float](repeating: 0, count: entries.count)
        let length = p.utf8.count
        var i = lo
        while i < vocabulary.count, vocabulary[i].utf8.starts(with: p.utf8) {
            let whole = vocabulary[i].utf8.count == length
            for posting in postings[i] {
                let s = whole ? posting.weight * 2 : posting.weight
                let e = Int(posting.entry)
                if s > term[e] { term[e] = s }
            }
            i += 1
        }
        for e in total.indices where total[e] >= 0 {
            total[e] = term[e] == 0 ? -1 : (first ? 0 : total[e]) + term[e]
        }
    }

    public func search(_ q: KnowledgeQuery, language: String = "en") -> KnowledgePage {
        // The filters as flags per record; a filter value no record carries keeps none.
        let none = [Bool](repeating: false, count: entries.count)
        var filters: [[Bool]] = []
        func need(_ key: String?) { if let key { filters.append(tagged[key] ?? none) } }
        need(q.kind.map { "kind:\($0.rawValue)" }); need(q.theme.map { "theme:\($0)" }); need(q.keyFactor.map { "kf:\($0)" })
        need(q.action.map { "action:\($0)" }); need(q.country.map { "country:\($0)" }); need(q.band.map { "band:\($0.rawValue)" })
        need(q.language.map { "language:\($0)" })
        func keep(_ e: Int) -> Bool {
            for f in filters where !f[e] { return false }
            return true
        }
        let lang = byTitle[language] == nil ? "en" : language
        let order = byTitle[lang] ?? [], rank = titleRank[lang] ?? []
        let terms = SearchText.words(SearchText.fold(q.text))
        var ranked: [(entry: Int32, score: Float)] = []
        if terms.isEmpty {
            for e in order where keep(Int(e)) { ranked.append((e, 0)) }
        } else {
            var total = [Float](repeating: 0, count: entries.count)
            for (n, t) in terms.enumerated() { add(prefix: t, into: &total, first: n == 0) }
            for (e, score) in total.enumerated() where score > 0 && keep(e) { ranked.append((Int32(e), score)) }
            // Only the pages up to the one asked are put in order: a bounded heap of the best, not a sort of all hits.
            let before: ((entry: Int32, score: Float), (entry: Int32, score: Float)) -> Bool = {
                $0.score != $1.score ? $0.score > $1.score : rank[Int($0.entry)] < rank[Int($1.entry)]
            }
            let wanted = min(ranked.count, q.page * q.perPage)
            let count = ranked.count
            ranked = Self.best(ranked, count: wanted, by: before)
            let start = (q.page - 1) * q.perPage
            let slice = start < ranked.count ? ranked[start..<min(ranked.count, start + q.perPage)] : []
            return KnowledgePage(hits: slice.map { (entry: entries[Int($0.entry)], score: Double($0.score)) }, total: count,
                                 page: q.page, perPage: q.perPage)
        }
        let start = (q.page - 1) * q.perPage
        let slice = start < ranked.count ? ranked[start..<min(ranked.count, start + q.perPage)] : []
        return KnowledgePage(hits: slice.map { (entry: entries[Int($0.entry)], score: Double($0.score)) }, total: ranked.count,
                             page: q.page, perPage: q.perPage)
    }

    /// The first `count` elements of `items` in the order `before`, in that order: a heap of `count` that keeps the
    /// best seen (its root is the worst of them), then sorted. O(n log count).
    static func best<T>(_ items: [T], count: Int, by before: (T, T) -> Bool) -> [T] {
        guard count > 0 else { return [] }
        if count * 4 >= items.count { return Array(items.sorted(by: before).prefix(count)) }
        var heap: [T] = []
        heap.reserveCapacity(count)
        // A max-heap by "worse": heap[0] is the element every other one comes before.
        func worse(_ a: T, _ b: T) -> Bool { before(b, a) }
        func siftUp(_ i: Int) {
            var c = i
            while c > 0 {
                let p = (c - 1) / 2
                guard worse(heap[c], heap[p]) else { return }
                heap.swapAt(c, p); c = p
            }
        }
        func siftDown(_ i: Int) {
            var p = i
            while true {
                let l = 2 * p + 1, r = l + 1
                var w = p
                if l < heap.count && worse(heap[l], heap[w]) { w = l }
                if r < heap.count && worse(heap[r], heap[w]) { w = r }
                if w == p { return }
                heap.swapAt(p, w); p = w
            }
        }
        for item in items {
            if heap.count < count { heap.append(item); siftUp(heap.count - 1) }
            else if before(item, heap[0]) { heap[0] = item; siftDown(0) }
        }
        return heap.sorted(by: before)
    }
}
