import CSV
import Foundation
import RapportCore
import Synchronization

/// A contacts CSV as found: its encoding, separator, where its header is, the vendor it comes from, and what each
/// column fills. Worked out from the first rows only; the rows themselves are read by ``CSVContacts``.
public struct CSVLayout: Sendable, Codable, Equatable {
    public var encoding: TextFileEncoding
    /// `,`, `;` or a tab.
    public var delimiter: String
    /// The line of the header row, from 1 (LinkedIn's export has notes above it).
    public var headerLine: Int
    public var headers: [String]
    public var preset: ContactPreset?
    public var columns: [ContactColumn]
    /// The file's size in bytes and its line breaks (an upper bound on its rows), for progress.
    public var bytes: Int
    public var lines: Int

    /// "column → field" lines, as the CLI prints them before importing.
    public var mapping: [(column: String, field: String)] {
        zip(headers, columns).map { ($0, $1.description) }
    }
}

/// Reads contacts from a CSV file one row at a time (RFC 4180 through CSV.swift): UTF-8 with or without a BOM,
/// UTF-16 with a BOM, or Windows-1252; `,` `;` or tab separated; quoted fields with separators and line breaks.
public final class CSVContacts: ContactSource, @unchecked Sendable {
    public let layout: CSVLayout
    private let state: Mutex<State>
    private let timeZones: TimeZoneCatalog

    private struct State: ~Copyable {
        var reader: CSVReader
        var line: Int
        var temporary: URL?
        /// Where the last row read began.
        var lastRow = 0
    }

    /// Whether the file holds an odd number of `"`: a quote opened that never closes. CSV.swift then reads the
    /// rest of the file as one value without a word, so the end of the import says so and nothing lands.
    private let unbalancedQuotes: Bool

    /// Opens `url`, works out its layout (or uses `preset` and `overrides`, column name → field), and places the
    /// reader after the header row.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` under `file` when the file cannot be read or has no header row, and
    ///   under `map` when an override names a column the file does not have.
    public init(url: URL, preset: ContactPreset? = nil, overrides: [(String, ContactColumn)] = [], timeZones: TimeZoneCatalog) throws {
        let (encoding, bytes, lines) = try TextFileEncoding.sniff(url)
        var source = url
        var temporary: URL?
        // CSV.swift reads UTF-8 (its BOM skipped); the other encodings are converted to it first, a chunk at a time.
        if encoding == .windows1252 || encoding == .utf16LE || encoding == .utf16BE {
            let converted = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-import-\(UUID().uuidString).csv")
            if encoding == .windows1252 {
                try TextFileEncoding.transcodeWindows1252(url, to: converted)
            } else {
                try TextFileEncoding.transcodeUTF16(url, bigEndian: encoding == .utf16BE, to: converted)
            }
            source = converted
            temporary = converted
        }
        do {
            // The separator that turns the most headers into known columns; the header is the first row that does.
            var best: (delimiter: UnicodeScalar, line: Int, row: [String], known: Int)?
            for delimiter in [",", ";", "\t"] as [UnicodeScalar] {
                let reader = try Self.reader(source, encoding: encoding, delimiter: delimiter)
                var line = 1
                for _ in 0..<12 {
                    guard let row = reader.next() else { break }
                    let known = ContactHeaders.columns(row, preset: nil).filter { if case .custom = $0 { return false }; return true }.count
                    if ContactHeaders.looksLikeHeader(row), known > (best?.known ?? 0) { best = (delimiter, line, row, known); break }
                    line += Self.lineCount(row)
                }
            }
            // No known header anywhere: the first row is the header, split by the separator it has most of.
            if best == nil {
                for delimiter in [",", ";", "\t"] as [UnicodeScalar] {
                    let row = try Self.reader(source, encoding: encoding, delimiter: delimiter).next() ?? []
                    if row.count > (best?.row.count ?? 0) { best = (delimiter, 1, row, 0) }
                }
            }
            guard let best, !best.row.allSatisfy({ $0.trimmed.isEmpty }) else {
                throw RapportError.invalid("file", "\(url.lastPathComponent) has no header row; the first line should name the columns, e.g. Name,Email,Company")
            }
            let headers = best.row.map { $0.trimmed.nfc }
            let chosen = preset ?? ContactPreset.detect(headers)
            var columns = ContactHeaders.columns(headers, preset: chosen)
            for (name, column) in overrides {
                guard let index = headers.firstIndex(where: { $0 == name }) ?? headers.firstIndex(where: { $0.matchingKey == name.matchingKey }) else {
                    let hint = ClosestNames.to(name, among: headers, maxDistance: 3, limit: 1).first.map { "did you mean \"\($0)\"? " } ?? ""
                    throw RapportError.invalid("map", "the file has no column \"\(name)\"; \(hint)its columns are \(headers.joined(separator: ", "))")
                }
                columns[index] = column
            }
            layout = CSVLayout(encoding: encoding, delimiter: String(Character(best.delimiter)), headerLine: best.line,
                               headers: headers, preset: chosen, columns: columns, bytes: bytes, lines: lines)
            let reader = try Self.reader(source, encoding: encoding, delimiter: best.delimiter)
            var line = 1
            while line < best.line, let row = reader.next() { line += Self.lineCount(row) }
            _ = reader.next()
            state = Mutex(State(reader: reader, line: best.line + Self.lineCount(best.row), temporary: temporary))
            unbalancedQuotes = try Self.countsQuotesOdd(source)
            self.timeZones = timeZones
        } catch {
            if let temporary { try? FileManager.default.removeItem(at: temporary) }
            throw error
        }
    }

    deinit {
        state.withLock { if let temporary = $0.temporary { try? FileManager.default.removeItem(at: temporary) } }
    }

    /// The next contact of the file, with the line it starts on; nil at the end.
    public func next() throws -> ImportedContact? {
        try state.withLock { state -> ImportedContact? in
            guard let row = state.reader.next() else {
                // Foundation's file streams on Linux say bytes are available at the end, so CSV.swift reports
                // `cannotReadFile` after the last row: that is the end, not a failure.
                if let error = state.reader.error, !Self.isEnd(error) {
                    throw RapportError.invalid("file", "the file cannot be read past line \(state.line): \(error); nothing was imported")
                }
                if unbalancedQuotes {
                    throw RapportError.invalid("file", "a quote (\") opened on line \(max(state.lastRow, 1)) or before never closes, so everything after it "
                        + "was read as one value; close it, or write a quote inside a value as \"\", and import again. Nothing was imported")
                }
                return nil
            }
            let line = state.line
            state.lastRow = line
            state.line += Self.lineCount(row)
            return CSVRow.contact(row, line: line, layout: layout, timeZones: timeZones)
        }
    }

    /// The next `count` rows as they are in the file, for a preview beside the mapping (the rows are used up).
    public func sample(_ count: Int) -> [[String]] {
        state.withLock { state in
            var rows: [[String]] = []
            while rows.count < count, let row = state.reader.next() { rows.append(row.map { $0.nfc }) }
            return rows
        }
    }

    static func isEnd(_ error: any Error) -> Bool {
        if case CSVError.cannotReadFile = error { return true }
        return false
    }

    static func reader(_ url: URL, encoding: TextFileEncoding, delimiter: UnicodeScalar) throws -> CSVReader {
        guard let stream = InputStream(url: url) else {
            throw RapportError.invalid("file", "cannot read \(url.path); check the path and that you may read it")
        }
        do {
            return try CSVReader(stream: stream, codecType: UTF8.self, delimiter: delimiter)
        } catch {
            throw RapportError.invalid("file", "cannot read \(url.lastPathComponent) as CSV (\(error)); save it again as CSV")
        }
    }

    /// Whether the UTF-8 file at `url` holds an odd number of `"` (0x22 is never part of another UTF-8 letter), read
    /// in chunks of 1 MiB.
    static func countsQuotesOdd(_ url: URL) throws -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        var odd = false
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            for byte in chunk where byte == 0x22 { odd.toggle() }
        }
        return odd
    }

    /// The lines a row spans: one, plus the line breaks inside its quoted fields (CRLF counts once).
    static func lineCount(_ row: [String]) -> Int {
        1 + row.reduce(0) { count, field in
            var breaks = 0
            var afterCR = false
            for scalar in field.unicodeScalars {
                if scalar == "\r" { breaks += 1; afterCR = true } else { if scalar == "\n" && !afterCR { breaks += 1 }; afterCR = false }
            }
            return count + breaks
        }
    }
}
