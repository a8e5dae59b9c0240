import Foundation

/// A grouped horizontal bar chart rendered as accessible SVG on the server: a title and a description
/// (named by `aria-labelledby`), one group of bars per category, a legend, values printed at the bar
/// ends so that colour is never the only carrier of meaning, and a pattern for each series.
public struct SVGBarChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var values: [Double?]
        public init(name: String, values: [Double?]) { self.name = name; self.values = values }
    }

    public var id: String
    public var title: String
    public var description: String
    public var categories: [String]
    public var series: [Series]
    public var minimum: Double
    public var maximum: Double
    /// How to print a value ("3", "2.4").
    public var format: @Sendable (Double) -> String

    public init(id: String, title: String, description: String, categories: [String], series: [Series], minimum: Double, maximum: Double,
                format: @escaping @Sendable (Double) -> String = { String(format: "%.1f", $0) }) {
        self.id = id; self.title = title; self.description = description; self.categories = categories; self.series = series
        self.minimum = minimum; self.maximum = maximum; self.format = format
    }

    /// Colours with at least 3:1 contrast against white, told apart also by pattern and by the printed value.
    static let fills = ["#0b5c8a", "#7a4b00", "#2f6b3a", "#6b2f6b"]

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    public func render() -> String {
        let labelWidth = 260.0, barArea = 360.0, valueWidth = 50.0
        let barHeight = 16.0, gap = 4.0, groupGap = 18.0
        let groupHeight = Double(series.count) * (barHeight + gap) + groupGap
        let legendHeight = 28.0
        let width = labelWidth + barArea + valueWidth
        let height = legendHeight + Double(categories.count) * groupHeight + 24
        let span = max(maximum - minimum, 1)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">"
        s += "<title id=\"\(id)-title\">\(Self.escape(title))</title><desc id=\"\(id)-desc\">\(Self.escape(description))</desc>"
        s += "<defs>"
        for (i, fill) in Self.fills.enumerated() {
            s += "<pattern id=\"\(id)-p\(i)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"\(fill)\"/>"
            if i == 1 { s += "<path d=\"M0 6 L6 0\" stroke=\"#fff\" stroke-width=\"1.5\"/>" }
            if i == 2 { s += "<circle cx=\"3\" cy=\"3\" r=\"1.2\" fill=\"#fff\"/>" }
            if i == 3 { s += "<path d=\"M0 3 H6\" stroke=\"#fff\" stroke-width=\"1.5\"/>" }
            s += "</pattern>"
        }
        s += "</defs>"
        // Legend
        var x = 0.0
        for (i, serie) in series.enumerated() {
            s += "<rect x=\"\(x)\" y=\"4\" width=\"16\" height=\"16\" fill=\"url(#\(id)-p\(i % Self.fills.count))\"/>"
            s += "<text x=\"\(x + 22)\" y=\"17\" font-size=\"13\" fill=\"#1b1f24\">\(Self.escape(serie.name))</text>"
            x += 30 + Double(serie.name.count) * 7.5
        }
        // Scale lines
        let ticks = Int(minimum)...Int(maximum)
        for t in ticks {
            let tx = labelWidth + (Double(t) - minimum) / span * barArea
            s += "<line x1=\"\(tx)\" y1=\"\(legendHeight)\" x2=\"\(tx)\" y2=\"\(height - 20)\" stroke=\"#c9d1da\" stroke-width=\"1\"/>"
            s += "<text x=\"\(tx)\" y=\"\(height - 6)\" font-size=\"12\" text-anchor=\"middle\" fill=\"#4a5360\">\(t)</text>"
        }
        for (c, category) in categories.enumerated() {
            let top = legendHeight + Double(c) * groupHeight
            s += "<text x=\"0\" y=\"\(top + 14)\" font-size=\"13\" fill=\"#1b1f24\">\(Self.escape(String(category.prefix(38))))\(category.count > 38 ? "…" : "")</text>"
            for (i, serie) in series.enumerated() {
                let y = top + Double(i) * (barHeight + gap)
                guard c < serie.values.count, let v = serie.values[c] else {
                    s += "<text x=\"\(labelWidth + 4)\" y=\"\(y + 12)\" font-size=\"12\" fill=\"#4a5360\">–</text>"
                    continue
                }
                let w = max(2, (min(max(v, minimum), maximum) - minimum) / span * barArea)
                s += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(w)\" height=\"\(barHeight)\" fill=\"url(#\(id)-p\(i % Self.fills.count))\"><title>\(Self.escape(serie.name)): \(format(v))</title></rect>"
                s += "<text x=\"\(labelWidth + w + 4)\" y=\"\(y + 12)\" font-size=\"12\" fill=\"#1b1f24\">\(format(v))</text>"
            }
        }
        s += "</svg>"
        return s
    }
}
