import Foundation

/// A line chart over time rendered as accessible SVG on the server: a title and a description (named by
/// `aria-labelledby`), one line per series with its own marker shape and dash pattern (so colour is never
/// the only carrier of meaning), an optional dashed target line, axis labels, and each point's value in a
/// tooltip. Pages put the same figures in a table beside it.
public struct SVGLineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(day: Day, value: Double)]
        public init(name: String, points: [(day: Day, value: Double)]) { self.name = name; self.points = points }
    }

    public var id: String
    public var title: String
    public var description: String
    public var series: [Series]
    public var target: Double?
    public var targetLabel: String
    public var from: Day
    public var to: Day
    public var format: @Sendable (Double) -> String

    public init(id: String, title: String, description: String, series: [Series], target: Double?, targetLabel: String, from: Day, to: Day,
                format: @escaping @Sendable (Double) -> String = { $0.rounded() == $0 ? String(Int($0)) : String(format: "%.1f", $0) }) {
        self.id = id; self.title = title; self.description = description; self.series = series; self.target = target
        self.targetLabel = targetLabel; self.from = from; self.to = to; self.format = format
    }

    static let colours = ["#0b5c8a", "#7a4b00", "#2f6b3a", "#6b2f6b", "#8a1c1c"]
    static let dashes = ["", "6 3", "2 3", "8 3 2 3", "1 2"]

    static func ordinal(_ d: Day) -> Double {
        Double(d.year) * 372 + Double(d.month - 1) * 31 + Double(d.day - 1)
    }

    static func escape(_ s: String) -> String { SVGBarChart.escape(s) }

    /// A "nice" upper bound for the axis: 1, 2 or 5 times a power of ten.
    static func niceMaximum(_ v: Double) -> Double {
        guard v > 0 else { return 1 }
        let p = pow(10, floor(log10(v)))
        for m in [1.0, 2, 5, 10] where m * p >= v { return m * p }
        return 10 * p
    }

    func marker(_ i: Int, x: Double, y: Double, fill: String) -> String {
        switch i % 4 {
        case 0: return "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"4\" fill=\"\(fill)\"/>"
        case 1: return "<rect x=\"\(x - 4)\" y=\"\(y - 4)\" width=\"8\" height=\"8\" fill=\"\(fill)\"/>"
        case 2: return "<path d=\"M\(x) \(y - 5) L\(x + 5) \(y + 4) L\(x - 5) \(y + 4) Z\" fill=\"\(fill)\"/>"
        default: return "<path d=\"M\(x) \(y - 5) L\(x + 5) \(y) L\(x) \(y + 5) L\(x - 5) \(y) Z\" fill=\"\(fill)\"/>"
        }
    }

    public func render() -> String {
        let left = 56.0, right = 16.0, top = 34.0, bottom = 30.0, plotW = 560.0, plotH = 200.0
        let width = left + plotW + right, height = top + plotH + bottom
        let all = series.flatMap { $0.points.map(\.value) } + (target.map { [$0] } ?? [])
        let maxV = Self.niceMaximum(all.max() ?? 1)
        let x0 = Self.ordinal(from), x1 = max(Self.ordinal(to), x0 + 1)
        func px(_ d: Day) -> Double { left + (Self.ordinal(d) - x0) / (x1 - x0) * plotW }
        func py(_ v: Double) -> Double { top + plotH - min(max(v, 0), maxV) / maxV * plotH }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">"
        s += "<title id=\"\(id)-title\">\(Self.escape(title))</title><desc id=\"\(id)-desc\">\(Self.escape(description))</desc>"
        // Legend
        var lx = 0.0
        for (i, serie) in series.enumerated() {
            let c = Self.colours[i % Self.colours.count]
            s += "<line x1=\"\(lx)\" y1=\"12\" x2=\"\(lx + 22)\" y2=\"12\" stroke=\"\(c)\" stroke-width=\"2\" stroke-dasharray=\"\(Self.dashes[i % Self.dashes.count])\"/>"
            s += marker(i, x: lx + 11, y: 12, fill: c)
            s += "<text x=\"\(lx + 28)\" y=\"16\" font-size=\"12\" fill=\"#1b1f24\">\(Self.escape(serie.name))</text>"
            lx += 40 + Double(serie.name.count) * 6.8
        }
        if target != nil {
            s += "<line x1=\"\(lx)\" y1=\"12\" x2=\"\(lx + 22)\" y2=\"12\" stroke=\"#8a1c1c\" stroke-width=\"2\" stroke-dasharray=\"4 4\"/>"
            s += "<text x=\"\(lx + 28)\" y=\"16\" font-size=\"12\" fill=\"#1b1f24\">\(Self.escape(targetLabel))</text>"
        }
        // Axes and grid
        for k in 0...4 {
            let v = maxV * Double(k) / 4, y = py(v)
            s += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotW)\" y2=\"\(y)\" stroke=\"#c9d1da\" stroke-width=\"1\"/>"
            s += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" font-size=\"11\" text-anchor=\"end\" fill=\"#4a5360\">\(Self.escape(format(v)))</text>"
        }
        for year in from.year...max(from.year, to.year) {
            let d = Day(year, 1, 1)
            guard d >= from, d <= to else { continue }
            let x = px(d)
            s += "<line x1=\"\(x)\" y1=\"\(top)\" x2=\"\(x)\" y2=\"\(top + plotH)\" stroke=\"#e1e6eb\" stroke-width=\"1\"/>"
            s += "<text x=\"\(x)\" y=\"\(top + plotH + 18)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#4a5360\">\(year)</text>"
        }
        s += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"#4a5360\" stroke-width=\"1\"/>"
        if let t = target {
            let y = py(t)
            s += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotW)\" y2=\"\(y)\" stroke=\"#8a1c1c\" stroke-width=\"2\" stroke-dasharray=\"4 4\"><title>\(Self.escape(targetLabel)): \(Self.escape(format(t)))</title></line>"
        }
        for (i, serie) in series.enumerated() {
            let c = Self.colours[i % Self.colours.count]
            let pts = serie.points.filter { $0.day >= from && $0.day <= to }.sorted { $0.day < $1.day }
            guard !pts.isEmpty else { continue }
            let path = pts.enumerated().map { j, p in "\(j == 0 ? "M" : "L")\(px(p.day)) \(py(p.value))" }.joined(separator: " ")
            s += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\" stroke-dasharray=\"\(Self.dashes[i % Self.dashes.count])\"/>"
            for p in pts {
                s += "<g>\(marker(i, x: px(p.day), y: py(p.value), fill: c))<title>\(Self.escape(serie.name)), \(p.day): \(Self.escape(format(p.value)))</title></g>"
            }
        }
        s += "</svg>"
        return s
    }
}
