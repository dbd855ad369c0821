using static SnnDsl.Tests.Reference.Ir;

namespace SnnDsl.Tests.Reference;

public class IrTests
{
    [Theory]
    [InlineData("0.8187")]
    [InlineData("-2")]
    [InlineData("1E-05")]
    [InlineData("(state U)")]
    [InlineData("(param Threshold)")]
    [InlineData("(local leaked)")]
    [InlineData("(input input)")]
    [InlineData("(arg)")]
    [InlineData("(neg (state U))")]
    [InlineData("(+ (* (param Beta) (state U)) (input input))")]
    [InlineData("(- (state U) (/ 1 (param Tau)))")]
    [InlineData("(select (> (state U) (* 2 (param Threshold))) 0 (- (state U) (param Threshold)))")]
    [InlineData("(call Exp (arg))")]
    [InlineData("(call Log (arg))")]
    [InlineData("(call Abs (arg))")]
    [InlineData("(call Sqrt (arg))")]
    [InlineData("(call Tanh (arg))")]
    [InlineData("(call Max (arg) 0)")]
    [InlineData("(call Min (arg) 0)")]
    [InlineData("(call Pow (arg) 2.5)")]
    public void Expressions_print_back_to_their_text(string text)
    {
        Expr expr = ParseExpr(text);
        Assert.Equal(text, expr.ToString());
        Assert.Equal(expr, ParseExpr(expr.ToString()));
    }

    [Theory]
    [InlineData("(< (arg) 0)")]
    [InlineData("(<= (arg) 0)")]
    [InlineData("(> (state U) (param Threshold))")]
    [InlineData("(>= (state U) (param Threshold))")]
    [InlineData("(== (state U) 0)")]
    [InlineData("(!= (state U) 0)")]
    [InlineData("(and (> (state U) 1) (not (or true false)))")]
    public void Conditions_print_back_to_their_text(string text)
    {
        Cond cond = ParseCond(text);
        Assert.Equal(text, cond.ToString());
        Assert.Equal(cond, ParseCond(cond.ToString()));
    }

    [Theory]
    [InlineData("(block)")]
    [InlineData("(block (set-local leaked (* (param Beta) (state U))) (set-state U (call Max (+ (local leaked) (input input)) (param Floor))))")]
    [InlineData("(block (block (set-state A (state U))) (set-state U 0))")]
    public void Blocks_print_back_to_their_text(string text)
    {
        Block block = ParseBlock(text);
        Assert.Equal(text, block.ToString());
        Assert.Equal(block, ParseBlock(block.ToString()));
    }

    [Fact]
    public void The_tree_has_the_structure_of_the_text()
    {
        Statement parsed = ParseStatement("(set-state U (+ (* (param Beta) (state U)) (input input)))");
        var expected = new SetState("U", new Binary(BinaryOp.Add, new Binary(BinaryOp.Multiply, new Param("Beta"), new State("U")), new Input("input")));
        Assert.Equal(expected, parsed);
        Assert.Equal(new Call(Function.Pow, new Arg(), new Number(0.5f)), ParseExpr("  (call   Pow\n(arg) 0.5 ) "));
    }

    [Theory]
    [InlineData("(+ (state U)", 12, "expected an expression, found the end of the text")]
    [InlineData("(+ (state U) 1))", 15, "expected end of text, found ')'")]
    [InlineData("(state U V)", 9, "expected ')', found 'V'")]
    [InlineData("(call Cosh (arg))", 6, "expected a function (Exp, Log, Abs, Sqrt, Tanh, Max, Min, Pow), found 'Cosh'")]
    [InlineData("(call Max (arg))", 15, "expected an expression, found ')'")]
    [InlineData("(% 1 2)", 1, "expected state, param, local, input, arg, neg, +, -, *, /, select or call, found '%'")]
    [InlineData("(* U 2)", 3, "expected a number or '(', found 'U'")]
    [InlineData("(state 1U)", 7, "expected a name, found '1U'")]
    public void Malformed_expressions_name_the_position_and_the_expected_token(string text, int position, string message)
    {
        var error = Assert.Throws<IrSyntaxException>(() => ParseExpr(text));
        Assert.Equal(position, error.Position);
        Assert.Contains($"at position {position}: {message}.", error.Message);
    }

    [Theory]
    [InlineData("(set-state U 0)", 1, "expected block, found 'set-state'")]
    [InlineData("(block (set-state U 0)", 22, "expected ')', found the end of the text")]
    [InlineData("(block (assign U 0))", 8, "expected block, set-state or set-local, found 'assign'")]
    public void Malformed_blocks_name_the_position_and_the_expected_token(string text, int position, string message)
    {
        var error = Assert.Throws<IrSyntaxException>(() => ParseBlock(text));
        Assert.Equal(position, error.Position);
        Assert.Contains($"at position {position}: {message}.", error.Message);
    }

    [Fact]
    public void A_malformed_condition_is_rejected()
    {
        var error = Assert.Throws<IrSyntaxException>(() => ParseCond("(+ (state U) 1)"));
        Assert.Equal(1, error.Position);
        Assert.Contains("expected <, <=, >, >=, ==, !=, and, or or not, found '+'", error.Message);
    }
}
