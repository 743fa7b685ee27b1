import Foundation

/// Excel 97–2003 workbooks (.xls, the BIFF8 compound file many offices still send), read by converting them to
/// .xlsx with LibreOffice (Debian's `libreoffice-calc-nogui`) and reading that as any other workbook.
///
/// Why LibreOffice: BIFF8 is a large binary format (shared formulas, several string encodings, date systems, WPS's
/// variants of it), and LibreOffice's reader is the maintained one that Debian ships and that reads what Excel and
/// WPS write; a reader of our own would be a second, untested parser of hostile input. The conversion runs in a
/// process of its own, with a private profile (so conversions may run side by side), bounded in time; the file is
/// already bounded in size by the upload limit.
public enum LegacyWorkbook {
    /// The office suite's command: `XIEZUO_SOFFICE`, else `soffice` or `libreoffice` on the PATH.
    public static func converter() -> URL? {
        let env = ProcessInfo.processInfo.environment
        if let set = env["XIEZUO_SOFFICE"], !set.isEmpty {
            return FileManager.default.isExecutableFile(atPath: set) ? URL(fileURLWithPath: set) : nil
        }
        for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            for name in ["soffice", "libreoffice"] {
                let path = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return URL(fileURLWithPath: path) }
            }
        }
        return nil
    }

    /// Converts `url` (an .xls file) to an .xlsx file inside `directory`, and returns its location.
    public static func convert(_ url: URL, into directory: URL, timeout: TimeInterval = 120) throws -> URL {
        guard let soffice = converter() else { throw SheetFileError("sheet.old_xls_no_converter") }
        let input = directory.appendingPathComponent("workbook.xls")
        try FileManager.default.copyItem(at: url, to: input)
        let profile = directory.appendingPathComponent("profile", isDirectory: true)
        let process = Process()
        process.executableURL = soffice
        process.arguments = [
            "-env:UserInstallation=" + profile.absoluteString, "--headless", "--norestore", "--nolockcheck", "--infilter=MS Excel 97", "--convert-to",
            "xlsx", "--outdir",
            directory.path, input.path,
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory.path  // nothing of the service account's home is touched
        process.environment = environment
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        do { try process.run() } catch { throw SheetFileError("sheet.old_xls_no_converter") }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            _ = done.wait(timeout: .now() + 5)
            throw SheetFileError("sheet.old_xls_timeout", String(Int(timeout)))
        }
        let output = directory.appendingPathComponent("workbook.xlsx")
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: output.path) else {
            throw SheetFileError("sheet.old_xls_unreadable")
        }
        return output
    }
}
