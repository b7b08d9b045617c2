/// `lookout check`: what can be known from the file alone about variables that will have no value
/// (a query Lookout cannot run, a variable query naming an undefined variable) and ad hoc filters.
extension LayoutChecker {
    func variableDiagnostics(_ layout: LoadedLayout, file: String) -> [LayoutDiagnostic] {
        VariableResolver.unresolvedReport(layout.dashboard.variables).map {
            LayoutDiagnostic(.warning, file: file, at: .path("templating"), $0)
        }
    }
}
