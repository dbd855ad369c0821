using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Parsing;

/// <summary>
/// Translates the body of a dynamics method (Integrate, Fires, Reset, Deliver, Derivative) from C# into the IR.
/// The translatable subset: float locals, assignment and compound assignment to states, + − * /, unary minus,
/// comparisons, &amp;&amp; || !, ?:, literals, parameters, constants, MathF.Exp/Log/Abs/Sqrt/Tanh/Max/Min/Pow, and calls
/// of the model's own <c>static float</c> helpers with float parameters, which are inlined: the helper's parameters
/// read the translated arguments and its body becomes an ordinary expression, so every pass sees plain IR.
/// Everything else becomes a diagnostic at the offending syntax (the catalogue in DiagnosticDescriptors).
/// </summary>
internal sealed class DynamicsTranslator
{
    // The semantic model, arguments and locals of the body being translated: swapped while a helper is inlined.
    private SemanticModel _semantics;
    private readonly INamedTypeSymbol _model;
    private Dictionary<IParameterSymbol, Expr> _arguments;
    private readonly HashSet<string> _states;
    private readonly IReadOnlyDictionary<string, string> _readOnlyStates;
    private readonly IReadOnlyDictionary<string, string> _hiddenStates;
    private readonly HashSet<string> _parameters;
    private readonly CancellationToken _cancellation;
    private readonly List<DiagnosticInfo> _diagnostics;

    // Locals seen so far and, for expression-only bodies (Fires, Derivative), their values to inline.
    private Dictionary<ILocalSymbol, Expr?> _locals = new(SymbolEqualityComparer.Default);

    // The helpers being inlined, outermost first (a call of one of them again is recursion).
    private readonly List<IMethodSymbol> _inlining = new();

    // Diagnostics reported so far (repeats of one at the same place, e.g. from a helper called twice, are listed once)
    // and before the current body: a body translates only if it reports none.
    private int _reported;
    private int _errorsAtStart;

    /// <param name="arguments">The method's float parameters and what they read: ports (Integrate), the weighted spikes and postsynaptic states (Deliver) as <see cref="InputRef"/>, x (Derivative) as <see cref="ArgRef"/>.</param>
    /// <param name="states">The states the body may read and, unless <paramref name="readOnlyStates"/> says otherwise, assign.</param>
    /// <param name="readOnlyStates">States the body may read but not assign, each with the reason (the [PreviousSpike] field; a learning rule's presynaptic state in Update).</param>
    /// <param name="hiddenStates">States of the model the body cannot see, each with the reason (a learning rule's postsynaptic state in Presynaptic).</param>
    public DynamicsTranslator(
        SemanticModel semantics, INamedTypeSymbol model, IEnumerable<(IParameterSymbol Parameter, Expr Reads)> arguments,
        IEnumerable<string> states, IReadOnlyDictionary<string, string> readOnlyStates, IEnumerable<string> parameters, List<DiagnosticInfo> diagnostics,
        CancellationToken cancellation, IReadOnlyDictionary<string, string>? hiddenStates = null)
    {
        _semantics = semantics;
        _model = model;
        _arguments = new Dictionary<IParameterSymbol, Expr>(SymbolEqualityComparer.Default);
        foreach ((IParameterSymbol parameter, Expr reads) in arguments) _arguments[parameter] = reads;
        _readOnlyStates = readOnlyStates;
        _hiddenStates = hiddenStates ?? new Dictionary<string, string>();
        _states = new HashSet<string>(states);
        _parameters = new HashSet<string>(parameters);
        _diagnostics = diagnostics;
        _cancellation = cancellation;
    }

    /// <summary>Translates the body of a void method (Integrate, Reset) into a block of assignments.</summary>
    public Block? TranslateStatements(MethodDeclarationSyntax method)
    {
        _errorsAtStart = _reported;
        var statements = new List<Assign>();
        if (method.ExpressionBody is { } arrow)
        {
            TranslateExpressionStatement(arrow.Expression, statements);
        }
        else if (method.Body is { } body)
        {
            foreach (StatementSyntax statement in body.Statements)
            {
                _cancellation.ThrowIfCancellationRequested();
                TranslateStatement(statement, statements);
            }
        }
        return _reported == _errorsAtStart ? new Block(statements.ToEquatableArray()) : null;
    }

    /// <summary>
    /// Translates the body of a method that updates states and returns a float (a synapse's Deliver): the statements
    /// before a final <c>return</c>, and the returned value over the locals as they are then.
    /// </summary>
    public (Block Statements, Expr Result)? TranslateStatementsAndResult(MethodDeclarationSyntax method)
    {
        _errorsAtStart = _reported;
        var statements = new List<Assign>();
        Expr? result = null;
        if (method.ExpressionBody is { } arrow)
        {
            result = TranslateExpr(arrow.Expression);
        }
        else if (method.Body is { } body)
        {
            for (int k = 0; k < body.Statements.Count; k++)
            {
                _cancellation.ThrowIfCancellationRequested();
                StatementSyntax statement = body.Statements[k];
                if (statement is ReturnStatementSyntax { Expression: { } returned } && k == body.Statements.Count - 1)
                    result = TranslateExpr(returned);
                else if (statement is ReturnStatementSyntax)
                    Report(DiagnosticDescriptors.UnsupportedStatement, statement, "A 'return' before the end", "end the method with a single return of the delivered current");
                else
                    TranslateStatement(statement, statements);
            }
            if (result is null && _reported == _errorsAtStart)
                Report(DiagnosticDescriptors.UnsupportedStatement, body, "A body without a final 'return'", "return the delivered current at the end");
        }
        return _reported == _errorsAtStart && result is not null ? (new Block(statements.ToEquatableArray()), result) : null;
    }

    /// <summary>Translates the body of a method returning float (Derivative): float locals are inlined.</summary>
    public Expr? TranslateValueBody(MethodDeclarationSyntax method)
    {
        _errorsAtStart = _reported;
        ExpressionSyntax? result = ReturnedExpression(method);
        Expr? value = result is null ? null : TranslateExpr(result);
        return _reported == _errorsAtStart ? value : null;
    }

    /// <summary>Translates the body of a method returning bool (Fires): float locals are inlined.</summary>
    public Cond? TranslateConditionBody(MethodDeclarationSyntax method)
    {
        _errorsAtStart = _reported;
        ExpressionSyntax? result = ReturnedExpression(method);
        Cond? condition = result is null ? null : TranslateCond(result);
        return _reported == _errorsAtStart ? condition : null;
    }

    private ExpressionSyntax? ReturnedExpression(MethodDeclarationSyntax method)
    {
        if (method.ExpressionBody is { } arrow) return arrow.Expression;
        if (method.Body is null) return null;
        int reportedAtStart = _reported;
        ExpressionSyntax? returned = null;
        foreach (StatementSyntax statement in method.Body.Statements)
        {
            if (returned is not null)
            {
                Report(DiagnosticDescriptors.UnsupportedStatement, statement, "A statement after 'return'", "end the method with a single return");
                continue;
            }
            switch (statement)
            {
                case ReturnStatementSyntax { Expression: { } expression }:
                    returned = expression;
                    break;
                case LocalDeclarationStatementSyntax declaration:
                    DeclareLocals(declaration, statements: null);
                    break;
                default:
                    ReportStatement(statement);
                    break;
            }
        }
        if (returned is null && _reported == reportedAtStart)
            Report(DiagnosticDescriptors.UnsupportedStatement, method.Body, "A body without 'return'", "return the value");
        return returned;
    }

    private void TranslateStatement(StatementSyntax statement, List<Assign> statements)
    {
        switch (statement)
        {
            case ExpressionStatementSyntax { Expression: var expression }:
                TranslateExpressionStatement(expression, statements);
                break;
            case LocalDeclarationStatementSyntax declaration:
                DeclareLocals(declaration, statements);
                break;
            case BlockSyntax block:
                foreach (StatementSyntax inner in block.Statements) TranslateStatement(inner, statements);
                break;
            case EmptyStatementSyntax:
                break;
            default:
                ReportStatement(statement);
                break;
        }
    }

    private void ReportStatement(StatementSyntax statement)
    {
        switch (statement)
        {
            case ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax:
                Report(DiagnosticDescriptors.UnsupportedLoop, statement.GetFirstToken().GetLocation(), Describe(statement));
                break;
            case IfStatementSyntax:
                Report(DiagnosticDescriptors.UnsupportedStatement, statement, "An 'if' statement", "assign with the conditional operator, e.g. 'U = U > 1f ? 0f : U;'");
                break;
            case ReturnStatementSyntax:
                Report(DiagnosticDescriptors.UnsupportedStatement, statement, "'return' in a void dynamics method", "remove it; the method runs to its end");
                break;
            default:
                Report(DiagnosticDescriptors.UnsupportedStatement, statement, Describe(statement), "dynamics are assignments to states and float locals");
                break;
        }
    }

    private void DeclareLocals(LocalDeclarationStatementSyntax declaration, List<Assign>? statements)
    {
        foreach (VariableDeclaratorSyntax variable in declaration.Declaration.Variables)
        {
            if (_semantics.GetDeclaredSymbol(variable, _cancellation) is not ILocalSymbol local) continue;
            if (local.Type.SpecialType != SpecialType.System_Single)
            {
                // An allocation or a lambda is the problem itself, whatever the type of the local it initializes.
                if (variable.Initializer?.Value is ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax
                    or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax or LambdaExpressionSyntax)
                    TranslateExpr(variable.Initializer.Value);
                else
                    Report(DiagnosticDescriptors.UnsupportedType, variable, $"Local '{local.Name}'", local.Type.ToDisplayString());
                continue;
            }
            if (variable.Initializer is null)
            {
                Report(DiagnosticDescriptors.UnsupportedStatement, variable, $"Local '{local.Name}' without an initializer", "initialize it where it is declared");
                continue;
            }
            Expr? value = TranslateExpr(variable.Initializer.Value);
            _locals[local] = statements is null ? value : null;
            if (value is not null) statements?.Add(new Assign(false, local.Name, value));
        }
    }

    private void TranslateExpressionStatement(ExpressionSyntax expression, List<Assign> statements)
    {
        if (expression is not AssignmentExpressionSyntax assignment)
        {
            if (expression is PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax)
                Report(DiagnosticDescriptors.UnsupportedOperator, expression, OperatorText(expression), "write 'X += 1f' instead");
            else if (expression is InvocationExpressionSyntax)
                TranslateExpr(expression);
            else
                Report(DiagnosticDescriptors.UnsupportedStatement, expression, Describe(expression), "dynamics are assignments to states and float locals");
            return;
        }

        (bool isState, string name)? target = AssignmentTarget(assignment.Left);
        Expr? right = TranslateExpr(assignment.Right);
        if (target is null || right is null) return;
        Expr current = target.Value.isState ? new StateRef(target.Value.name) : new LocalRef(target.Value.name);
        Expr? value = assignment.Kind() switch
        {
            SyntaxKind.SimpleAssignmentExpression => right,
            SyntaxKind.AddAssignmentExpression => new Binary(BinaryOp.Add, current, right),
            SyntaxKind.SubtractAssignmentExpression => new Binary(BinaryOp.Subtract, current, right),
            SyntaxKind.MultiplyAssignmentExpression => new Binary(BinaryOp.Multiply, current, right),
            SyntaxKind.DivideAssignmentExpression => new Binary(BinaryOp.Divide, current, right),
            _ => null,
        };
        if (value is null)
        {
            Report(DiagnosticDescriptors.UnsupportedOperator, assignment, assignment.OperatorToken.Text, "use =, +=, -=, *= or /=");
            return;
        }
        statements.Add(new Assign(target.Value.isState, target.Value.name, value));
    }

    private (bool IsState, string Name)? AssignmentTarget(ExpressionSyntax left)
    {
        ISymbol? symbol = _semantics.GetSymbolInfo(left, _cancellation).Symbol;
        bool plainName = IsOwnMember(left);
        switch (symbol)
        {
            case IFieldSymbol field when plainName && Owned(field) && _readOnlyStates.TryGetValue(field.Name, out string? readOnly):
                Report(DiagnosticDescriptors.InvalidAssignment, left, field.Name, readOnly);
                return null;
            case IFieldSymbol field when plainName && Owned(field) && _hiddenStates.TryGetValue(field.Name, out string? hidden):
                Report(DiagnosticDescriptors.StateNotVisible, left, MethodName(left), field.Name, hidden);
                return null;
            case IFieldSymbol field when plainName && Owned(field) && _states.Contains(field.Name):
                return (true, field.Name);
            case IFieldSymbol field when plainName && Owned(field) && _parameters.Contains(field.Name):
                Report(DiagnosticDescriptors.InvalidAssignment, left, field.Name, "it is a parameter; parameters are constant during a run (only training changes them)");
                return null;
            case ILocalSymbol local when _locals.ContainsKey(local):
                return (false, local.Name);
            case IParameterSymbol parameter:
                Report(DiagnosticDescriptors.InvalidAssignment, left, parameter.Name, "method parameters are read-only in dynamics; assign to a float local instead");
                return null;
            default:
                Report(DiagnosticDescriptors.InvalidAssignment, left, left.ToString(), "only states of this neuron and float locals can be assigned");
                return null;
        }
    }

    private static string MethodName(SyntaxNode node) =>
        node.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText ?? "The method";

    private bool Owned(ISymbol symbol) => SymbolEqualityComparer.Default.Equals(symbol.ContainingType, _model);

    /// <summary>A name, <c>this.Name</c>, or <c>Type.Name</c> however the model's own type is spelled (e.g. <c>global::Ns.Type.Name</c>).</summary>
    private bool IsOwnMember(ExpressionSyntax syntax) => syntax switch
    {
        IdentifierNameSyntax => true,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } => true,
        MemberAccessExpressionSyntax access => SymbolEqualityComparer.Default.Equals(_semantics.GetSymbolInfo(access.Expression, _cancellation).Symbol, _model),
        _ => false,
    };

    private Expr? TranslateExpr(ExpressionSyntax syntax)
    {
        _cancellation.ThrowIfCancellationRequested();

        // Constants (literals, consts, constant-folded expressions) become literals.
        Optional<object?> constant = _semantics.GetConstantValue(syntax, _cancellation);
        if (constant.HasValue && constant.Value is float or double or int or long or short or byte or uint or ulong or sbyte or ushort)
            return new Const(System.Convert.ToSingle(constant.Value, System.Globalization.CultureInfo.InvariantCulture));

        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return TranslateExpr(parenthesized.Expression);
            // A cast to float is transparent: an operand that is not float is reported as what it is.
            case CastExpressionSyntax cast when IsFloat(cast.Type):
                return TranslateExpr(cast.Expression);
            case CheckedExpressionSyntax @checked:
                return TranslateExpr(@checked.Expression);
            // An operator outside + - * / and unary minus is reported as such, whatever its operand types.
            case BinaryExpressionSyntax binary when ArithmeticOp(binary.Kind()) is null:
            case PrefixUnaryExpressionSyntax prefix when !prefix.IsKind(SyntaxKind.UnaryMinusExpression) && !prefix.IsKind(SyntaxKind.UnaryPlusExpression):
            case PostfixUnaryExpressionSyntax:
                Report(DiagnosticDescriptors.UnsupportedOperator, syntax, OperatorText(syntax), "dynamics allow + - * / and unary minus on floats");
                return null;
        }

        if (!IsFloat(syntax) && syntax is not (ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax
                or ImplicitArrayCreationExpressionSyntax or InvocationExpressionSyntax or LambdaExpressionSyntax or ElementAccessExpressionSyntax))
        {
            ITypeSymbol? type = _semantics.GetTypeInfo(syntax, _cancellation).Type;
            Report(DiagnosticDescriptors.UnsupportedType, syntax, $"'{syntax}'", type?.ToDisplayString() ?? "unknown");
            return null;
        }

        switch (syntax)
        {
            case IdentifierNameSyntax or MemberAccessExpressionSyntax:
                return TranslateName(syntax);
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } minus:
                return TranslateExpr(minus.Operand) is { } operand ? new Unary(UnaryOp.Negate, operand) : null;
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryPlusExpression } plus:
                return TranslateExpr(plus.Operand);
            case BinaryExpressionSyntax binary when ArithmeticOp(binary.Kind()) is { } op:
            {
                Expr? left = TranslateExpr(binary.Left), right = TranslateExpr(binary.Right);
                return left is null || right is null ? null : new Binary(op, left, right);
            }
            case ConditionalExpressionSyntax conditional:
            {
                Cond? condition = TranslateCond(conditional.Condition);
                Expr? whenTrue = TranslateExpr(conditional.WhenTrue), whenFalse = TranslateExpr(conditional.WhenFalse);
                return condition is null || whenTrue is null || whenFalse is null ? null : new Select(condition, whenTrue, whenFalse);
            }
            case InvocationExpressionSyntax invocation:
                return TranslateCall(invocation);
            case ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax:
                Report(DiagnosticDescriptors.UnsupportedAllocation, syntax, $"'{syntax}'");
                return null;
            case LambdaExpressionSyntax:
                Report(DiagnosticDescriptors.UnsupportedExpression, syntax, "A lambda", "write the arithmetic inline");
                return null;
            case ElementAccessExpressionSyntax:
                Report(DiagnosticDescriptors.UnsupportedExpression, syntax, $"Element access '{syntax}'", "a neuron sees only its own scalar states; use a per-neuron [Param] instead of an array");
                return null;
            case AssignmentExpressionSyntax:
                Report(DiagnosticDescriptors.UnsupportedExpression, syntax, "An assignment inside an expression", "make it a statement of its own");
                return null;
            default:
                Report(DiagnosticDescriptors.UnsupportedExpression, syntax, Describe(syntax), "use arithmetic on states, parameters, constants and float locals");
                return null;
        }
    }

    private Expr? TranslateName(ExpressionSyntax syntax)
    {
        ISymbol? symbol = _semantics.GetSymbolInfo(syntax, _cancellation).Symbol;
        bool plainName = IsOwnMember(syntax);
        switch (symbol)
        {
            case IFieldSymbol field when plainName && Owned(field) && _states.Contains(field.Name):
                return new StateRef(field.Name);
            case IFieldSymbol field when plainName && Owned(field) && _parameters.Contains(field.Name):
                return new ParamRef(field.Name);
            case IFieldSymbol field when plainName && Owned(field) && _hiddenStates.TryGetValue(field.Name, out string? hidden):
                Report(DiagnosticDescriptors.StateNotVisible, syntax, MethodName(syntax), field.Name, hidden);
                return null;
            case IParameterSymbol parameter when _arguments.TryGetValue(parameter, out Expr? reads):
                return reads;
            case ILocalSymbol local when _locals.TryGetValue(local, out Expr? inlined):
                return inlined ?? new LocalRef(local.Name);
            default:
                Report(DiagnosticDescriptors.UnsupportedMemberAccess, syntax, syntax.ToString(), _model.Name);
                return null;
        }
    }

    private Expr? TranslateCall(InvocationExpressionSyntax invocation)
    {
        IMethodSymbol? method = _semantics.GetSymbolInfo(invocation, _cancellation).Symbol as IMethodSymbol;
        if (method is { IsStatic: true, MethodKind: MethodKind.Ordinary } && Owned(method.OriginalDefinition))
            return InlineHelper(invocation, method.OriginalDefinition);
        MathFunction? function = method is { ContainingType: { Name: "MathF", ContainingNamespace.Name: "System" } }
            ? method.Name switch
            {
                "Exp" => MathFunction.Exp,
                "Log" when method.Parameters.Length == 1 => MathFunction.Log,
                "Abs" => MathFunction.Abs,
                "Sqrt" => MathFunction.Sqrt,
                "Tanh" => MathFunction.Tanh,
                "Max" => MathFunction.Max,
                "Min" => MathFunction.Min,
                "Pow" => MathFunction.Pow,
                _ => null,
            }
            : null;
        if (function is null)
        {
            string name = method is null ? invocation.Expression.ToString() : $"{method.ContainingType.Name}.{method.Name}";
            Report(DiagnosticDescriptors.UnsupportedCall, invocation, name);
            return null;
        }
        var arguments = new List<Expr>();
        foreach (ArgumentSyntax argument in invocation.ArgumentList.Arguments)
        {
            if (TranslateExpr(argument.Expression) is { } value) arguments.Add(value);
        }
        return arguments.Count == function.Value.Arity() ? new Call(function.Value, arguments.ToEquatableArray()) : null;
    }

    /// <summary>
    /// A call of the model's own static helper: the arguments are translated here, then the helper's body with its
    /// parameters reading them (each use of a parameter repeats the argument's expression; the IR has no side effects).
    /// </summary>
    private Expr? InlineHelper(InvocationExpressionSyntax invocation, IMethodSymbol helper)
    {
        int cycle = _inlining.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, helper));
        if (cycle >= 0)
        {
            string through = cycle == _inlining.Count - 1 ? "" : " through " + string.Join(" and ", _inlining.Skip(cycle + 1).Select(m => $"'{m.Name}'"));
            Report(DiagnosticDescriptors.RecursiveHelper, invocation, helper.Name, through);
            return null;
        }
        MethodDeclarationSyntax? declaration = NeuronParser.Declaration(helper);
        if (!HelperShapeIsValid(helper, declaration)) return null;

        var values = new Dictionary<IParameterSymbol, Expr>(SymbolEqualityComparer.Default);
        int reportedBefore = _reported;
        SeparatedSyntaxList<ArgumentSyntax> arguments = invocation.ArgumentList.Arguments;
        for (int a = 0; a < arguments.Count; a++)
        {
            IParameterSymbol? parameter = arguments[a].NameColon is { } named
                ? helper.Parameters.FirstOrDefault(p => p.Name == named.Name.Identifier.ValueText)
                : a < helper.Parameters.Length ? helper.Parameters[a] : null;
            if (TranslateExpr(arguments[a].Expression) is { } value && parameter is not null) values[parameter] = value;
        }
        foreach (IParameterSymbol parameter in helper.Parameters)
        {
            if (!values.ContainsKey(parameter) && parameter.HasExplicitDefaultValue)
                values[parameter] = new Const(System.Convert.ToSingle(parameter.ExplicitDefaultValue, System.Globalization.CultureInfo.InvariantCulture));
        }
        if (_reported != reportedBefore || values.Count != helper.Parameters.Length) return null;

        (SemanticModel semantics, Dictionary<IParameterSymbol, Expr> outerArguments, Dictionary<ILocalSymbol, Expr?> outerLocals) = (_semantics, _arguments, _locals);
        _semantics = NeuronParser.SemanticsFor(declaration!, semantics);
        _arguments = values;
        _locals = new Dictionary<ILocalSymbol, Expr?>(SymbolEqualityComparer.Default);
        _inlining.Add(helper);
        try
        {
            ExpressionSyntax? result = ReturnedExpression(declaration!);
            Expr? value = result is null ? null : TranslateExpr(result);
            return _reported == reportedBefore ? value : null;
        }
        finally
        {
            _inlining.RemoveAt(_inlining.Count - 1);
            (_semantics, _arguments, _locals) = (semantics, outerArguments, outerLocals);
        }
    }

    /// <summary>SNN0113 at the first part of a helper's declaration that cannot be inlined.</summary>
    private bool HelperShapeIsValid(IMethodSymbol helper, MethodDeclarationSyntax? declaration)
    {
        string name = $"{_model.Name}.{helper.Name}";
        if (declaration is null)
        {
            Report(DiagnosticDescriptors.UnsupportedHelper, helper.Locations.FirstOrDefault(), name, "it has no body");
            return false;
        }
        if (declaration.TypeParameterList is { } typeParameters)
        {
            Report(DiagnosticDescriptors.UnsupportedHelper, typeParameters, name, "it is generic");
            return false;
        }
        if (helper.ReturnType.SpecialType != SpecialType.System_Single)
        {
            Report(DiagnosticDescriptors.UnsupportedHelper, declaration.ReturnType, name, $"it returns '{helper.ReturnType.ToDisplayString()}', not float");
            return false;
        }
        foreach (IParameterSymbol parameter in helper.Parameters)
        {
            string? problem = parameter.RefKind != RefKind.None ? $"parameter '{parameter.Name}' is passed by reference"
                : parameter.IsParams ? $"parameter '{parameter.Name}' is a params array"
                : parameter.Type.SpecialType != SpecialType.System_Single ? $"parameter '{parameter.Name}' has type '{parameter.Type.ToDisplayString()}', not float"
                : null;
            if (problem is null) continue;
            SyntaxNode? at = declaration.ParameterList.Parameters.FirstOrDefault(p => p.Identifier.ValueText == parameter.Name);
            Report(DiagnosticDescriptors.UnsupportedHelper, at ?? declaration, name, problem);
            return false;
        }
        return true;
    }

    private Cond? TranslateCond(ExpressionSyntax syntax)
    {
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return TranslateCond(parenthesized.Expression);
            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression }:
                return new BoolConst(true);
            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.FalseLiteralExpression }:
                return new BoolConst(false);
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not:
                return TranslateCond(not.Operand) is { } operand ? new Not(operand) : null;
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.LogicalAndExpression) || binary.IsKind(SyntaxKind.LogicalOrExpression):
            {
                Cond? left = TranslateCond(binary.Left), right = TranslateCond(binary.Right);
                LogicalOp op = binary.IsKind(SyntaxKind.LogicalAndExpression) ? LogicalOp.And : LogicalOp.Or;
                return left is null || right is null ? null : new Logical(op, left, right);
            }
            case BinaryExpressionSyntax binary when CompareOpOf(binary.Kind()) is { } op:
            {
                Expr? left = TranslateExpr(binary.Left), right = TranslateExpr(binary.Right);
                return left is null || right is null ? null : new Compare(op, left, right);
            }
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.BitwiseAndExpression) || binary.IsKind(SyntaxKind.BitwiseOrExpression) ||
                                                    binary.IsKind(SyntaxKind.ExclusiveOrExpression):
                Report(DiagnosticDescriptors.UnsupportedOperator, syntax, binary.OperatorToken.Text, "combine conditions with && and ||");
                return null;
            default:
                Report(DiagnosticDescriptors.UnsupportedExpression, syntax, $"The condition '{syntax}'", "write a comparison of floats (<, <=, >, >=, ==, !=) combined with &&, || and !");
                return null;
        }
    }

    private bool IsFloat(SyntaxNode node)
    {
        Microsoft.CodeAnalysis.TypeInfo type = _semantics.GetTypeInfo(node, _cancellation);
        return (type.Type ?? type.ConvertedType)?.SpecialType == SpecialType.System_Single;
    }

    private static BinaryOp? ArithmeticOp(SyntaxKind kind) => kind switch
    {
        SyntaxKind.AddExpression => BinaryOp.Add,
        SyntaxKind.SubtractExpression => BinaryOp.Subtract,
        SyntaxKind.MultiplyExpression => BinaryOp.Multiply,
        SyntaxKind.DivideExpression => BinaryOp.Divide,
        _ => null,
    };

    private static CompareOp? CompareOpOf(SyntaxKind kind) => kind switch
    {
        SyntaxKind.LessThanExpression => CompareOp.Less,
        SyntaxKind.LessThanOrEqualExpression => CompareOp.LessOrEqual,
        SyntaxKind.GreaterThanExpression => CompareOp.Greater,
        SyntaxKind.GreaterThanOrEqualExpression => CompareOp.GreaterOrEqual,
        SyntaxKind.EqualsExpression => CompareOp.Equal,
        SyntaxKind.NotEqualsExpression => CompareOp.NotEqual,
        _ => null,
    };

    private static string OperatorText(ExpressionSyntax syntax) => syntax switch
    {
        PrefixUnaryExpressionSyntax prefix => prefix.OperatorToken.Text,
        PostfixUnaryExpressionSyntax postfix => postfix.OperatorToken.Text,
        BinaryExpressionSyntax binary => binary.OperatorToken.Text,
        _ => syntax.Kind().ToString(),
    };

    private static string Describe(SyntaxNode node)
    {
        switch (node)
        {
            case ForStatementSyntax: return "A 'for' loop";
            case ForEachStatementSyntax: return "A 'foreach' loop";
            case WhileStatementSyntax: return "A 'while' loop";
            case DoStatementSyntax: return "A 'do' loop";
        }
        // E.g. SwitchStatement → "A switch statement ('switch (…')".
        string kind = System.Text.RegularExpressions.Regex.Replace(node.Kind().ToString(), "(?<=[a-z])([A-Z])", " $1").ToLowerInvariant();
        string text = node.ToString();
        if (text.Length > 40) text = text.Substring(0, 40) + "…";
        return $"A {kind} ('{text}')";
    }

    private void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] arguments) =>
        Add(DiagnosticInfo.Create(descriptor, node, arguments));

    private void Report(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        Add(DiagnosticInfo.Create(descriptor, location, arguments));

    private void Add(DiagnosticInfo diagnostic)
    {
        _reported++;
        if (!_diagnostics.Contains(diagnostic)) _diagnostics.Add(diagnostic);
    }
}
