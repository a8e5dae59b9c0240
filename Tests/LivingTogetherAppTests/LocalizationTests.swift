import Foundation
import Testing
@testable import LivingTogetherApp

/// Interface strings: every language has every key, with the same placeholders, so that a Dutch page
/// never shows an English fallback or loses a figure.
@Suite struct LocalizationTests {
    @Test func everyLanguageHasEveryKey() {
        let en = Strings.shared.tables[.en] ?? [:]
        #expect(en.count > 100)
        for language in Language.allCases where language != .en {
            let table = Strings.shared.tables[language] ?? [:]
            let missing = Set(en.keys).subtracting(table.keys).sorted()
            let extra = Set(table.keys).subtracting(en.keys).sorted()
            #expect(missing.isEmpty, "\(language.rawValue) lacks \(missing)")
            #expect(extra.isEmpty, "\(language.rawValue) has keys English lacks: \(extra)")
        }
    }

    @Test func placeholdersMatch() {
        let en = Strings.shared.tables[.en] ?? [:]
        let nl = Strings.shared.tables[.nl] ?? [:]
        func placeholders(_ s: String) -> Set<String> {
            Set((0..<6).map { "{\($0)}" }.filter { s.contains($0) })
        }
        for (key, text) in en {
            guard let dutch = nl[key] else { continue }
            #expect(placeholders(text) == placeholders(dutch), "\(key)")
        }
    }

    /// Every key the code names (t("…") and the key tables) exists in English.
    @Test func keysUsedInTheCodeExist() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/LivingTogetherApp")
        let en = Strings.shared.tables[.en] ?? [:]
        let pattern = try NSRegularExpression(pattern: #"\bt(?:\.html)?\("([a-z][A-Za-z0-9_.]+)""#)
        var checked = 0
        for case let url as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(m.range(at: 1), in: text)!])
                if key.hasSuffix(".") { continue }  // a prefix completed at run time
                checked += 1
                #expect(en[key] != nil, "\(url.lastPathComponent) uses the missing key \(key)")
            }
        }
        #expect(checked > 100)
        for key in Flash.allowed { #expect(en[key] != nil, "flash \(key)") }
    }

    @Test func missingDutchFallsBackToEnglishVisibly() {
        let t = Translator(.nl)
        #expect(t("nav.signIn") == "Aanmelden")
        #expect(Strings.shared.text("no.such.key", .nl) == "no.such.key")
        #expect(Language.negotiate("nl-BE,nl;q=0.9,en;q=0.8") == .nl)
        #expect(Language.negotiate("fr-FR,en;q=0.5") == .en)
        #expect(Language.negotiate("de, nl;q=0.2") == .nl)
        #expect(Language.negotiate(nil) == .en)
        #expect(t.number(100518) == "100.518")
        #expect(Translator(.en).number(100518) == "100,518")
    }
}
