/// One row of the directory as the list page shows it.
public struct DirectoryEntry: Sendable, Equatable {
    public var id: Int
    public var kind: OrganisationKind
    public var name: String
    public var country: String
    public var region: String?
    public var population: Int?
    public var slug: String
    /// Its other names, which the search also finds ("Antwerpen" finds Antwerp).
    public var alternateNames: [String]

    public init(id: Int, kind: OrganisationKind, name: String, country: String, region: String?, population: Int?, slug: String,
                alternateNames: [String] = []) {
        self.id = id; self.kind = kind; self.name = name; self.country = country; self.region = region
        self.population = population; self.slug = slug; self.alternateNames = alternateNames
    }

    /// The first of its other names that has a word starting with each of the search's words, when its own name
    /// does not: what the list shows beside the name ("Antwerp — also Antwerpen").
    public func alternateMatching(_ text: String) -> String? {
        let terms = SearchText.words(SearchText.fold(text))
        guard !terms.isEmpty, !alternateNames.isEmpty else { return nil }
        func matches(_ n: String) -> Bool {
            let words = SearchText.words(SearchText.fold(n))
            return terms.allSatisfy { t in words.contains { $0.hasPrefix(t) } }
        }
        if matches(name) { return nil }
        return alternateNames.first(where: matches)
    }
}

/// What a directory search asks for.
public struct DirectoryQuery: Sendable, Equatable {
    public var text: String
    public var country: String?
    public var band: SizeBand?
    public var kind: OrganisationKind?
    public var page: Int
    public var perPage: Int

    public init(text: String = "", country: String? = nil, band: SizeBand? = nil, kind: OrganisationKind? = nil, page: Int = 1, perPage: Int = 20) {
        self.text = text; self.country = country; self.band = band; self.kind = kind
        self.perPage = min(max(1, perPage), 100)
        // Beyond the last page of any directory; keeps (page - 1) * perPage far from overflowing.
        self.page = min(max(1, page), 1_000_000)
    }
}

public struct DirectoryPage: Sendable, Equatable {
    public var entries: [DirectoryEntry]
    public var total: Int
    public var page: Int
    public var perPage: Int
    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }
}

/// An in-memory index of the whole directory (100,518 rows fit in a few megabytes) that answers a
/// search in microseconds: every word of every folded name is kept in one sorted array, so that a
/// search word finds the names with a word that starts with it by binary search. Several search
/// words must all match (in any order). Results are ordered by population (largest first), then name.
public struct DirectorySearchIndex: Sendable {
    public private(set) var entries: [DirectoryEntry]
    /// (word, entry index), sorted by word.
    private var words: [(word: String, entry: Int32)]
    /// Entry indices ordered by population descending, then name: the order of results.
    private var rankOf: [Int32]
    private var byRank: [Int32]
    /// Entry indices in rank order per country, per size band and per kind, so that a list without
    /// search words walks only the entries its filters can keep.
    private var rankedByCountry: [String: [Int32]]
    private var rankedByBand: [SizeBand: [Int32]]
    private var rankedByKind: [OrganisationKind: [Int32]]
    private var indexByID: [Int: Int32]

    public init(entries: [DirectoryEntry]) {
        self.entries = entries
        var words: [(String, Int32)] = []
        words.reserveCapacity(entries.count * 2)
        for (i, e) in entries.enumerated() {
            var seen = Set<Substring>()
            for n in [e.name] + e.alternateNames {
                for w in SearchText.words(SearchText.fold(n)) where seen.insert(w).inserted {
                    words.append((String(w), Int32(i)))
                }
            }
        }
        words.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        self.words = words.map { (word: $0.0, entry: $0.1) }
        let order = entries.indices.sorted { a, b in
            let pa = entries[a].population ?? -1, pb = entries[b].population ?? -1
            if pa != pb { return pa > pb }
            if entries[a].name != entries[b].name { return entries[a].name < entries[b].name }
            return entries[a].id < entries[b].id
        }
        var rank = [Int32](repeating: 0, count: entries.count)
        for (r, i) in order.enumerated() { rank[i] = Int32(r) }
        self.rankOf = rank
        self.byRank = order.map { Int32($0) }
        var byCountry: [String: [Int32]] = [:], byBand: [SizeBand: [Int32]] = [:], byKind: [OrganisationKind: [Int32]] = [:]
        for i in order {
            let e = entries[i]
            byCountry[e.country, default: []].append(Int32(i))
            if let p = e.population { byBand[SizeBand.of(population: p), default: []].append(Int32(i)) }
            byKind[e.kind, default: []].append(Int32(i))
        }
        self.rankedByCountry = byCountry
        self.rankedByBand = byBand
        self.rankedByKind = byKind
        var byID: [Int: Int32] = [:]
        byID.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() { byID[e.id] = Int32(i) }
        self.indexByID = byID
    }

    public var count: Int { entries.count }

    public func entry(id: Int) -> DirectoryEntry? { indexByID[id].map { entries[Int($0)] } }

    /// The sorted set of entry indices having a word that starts with `prefix`.
    private func matches(prefix: Substring) -> Set<Int32> {
        var lo = 0, hi = words.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if words[mid].word < prefix { lo = mid + 1 } else { hi = mid }
        }
        var result = Set<Int32>()
        var i = lo
        while i < words.count, words[i].word.hasPrefix(prefix) {
            result.insert(words[i].entry); i += 1
        }
        return result
    }

    /// One page of the organisations matching `query`; a page beyond the last is empty (the API's clients read
    /// pages until one is empty; the directory page sends such a request on to the last page).
    public func search(_ query: DirectoryQuery) -> DirectoryPage {
        let terms = SearchText.words(SearchText.fold(query.text))
        let country = query.country?.uppercased()
        func keep(_ e: DirectoryEntry) -> Bool {
            if let country, e.country != country { return false }
            if let kind = query.kind, e.kind != kind { return false }
            if let band = query.band {
                guard let p = e.population, band.contains(p) else { return false }
            }
            return true
        }
        let start = (query.page - 1) * query.perPage
        var page: [DirectoryEntry] = []
        var total = 0
        if terms.isEmpty {
            // The shortest ranked list that the filters allow, then the remaining filters on it.
            var lists: [[Int32]] = [byRank]
            if let country { lists.append(rankedByCountry[country] ?? []) }
            if let band = query.band { lists.append(rankedByBand[band] ?? []) }
            if let kind = query.kind { lists.append(rankedByKind[kind] ?? []) }
            let candidates = lists.min { $0.count < $1.count } ?? byRank
            if lists.count == 1 {
                total = candidates.count
                if start < total { page = candidates[start..<min(total, start + query.perPage)].map { entries[Int($0)] } }
            } else {
                for r in candidates {
                    let e = entries[Int(r)]
                    guard keep(e) else { continue }
                    if total >= start && page.count < query.perPage { page.append(e) }
                    total += 1
                }
            }
        } else {
            var candidates = matches(prefix: terms[0])
            for t in terms.dropFirst() where !candidates.isEmpty {
                candidates.formIntersection(matches(prefix: t))
            }
            let ranked = candidates.filter { keep(entries[Int($0)]) }.sorted { rankOf[Int($0)] < rankOf[Int($1)] }
            total = ranked.count
            if start < ranked.count {
                page = ranked[start..<min(ranked.count, start + query.perPage)].map { entries[Int($0)] }
            }
        }
        return DirectoryPage(entries: page, total: total, page: query.page, perPage: query.perPage)
    }
}
