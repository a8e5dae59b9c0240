/// URL-safe names for profile addresses: "Saint-Jean-de-la-Ruelle" → "saint-jean-de-la-ruelle".
public enum Slug {
    public static func make(_ name: String) -> String {
        let words = SearchText.words(SearchText.fold(name)).map { w in
            String(w.unicodeScalars.filter { $0.isASCII }.map(Character.init))
        }.filter { !$0.isEmpty }
        let s = words.joined(separator: "-")
        return s.isEmpty ? "organisation" : String(s.prefix(80))
    }
}
