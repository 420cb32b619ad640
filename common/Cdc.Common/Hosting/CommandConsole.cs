namespace Cdc.Common.Hosting;

/// <summary>Where a command writes its results (<see cref="Out"/>) and its errors and progress (<see cref="Error"/>).</summary>
/// <param name="ErrorIsTerminal">Progress may redraw a line in place.</param>
public sealed record CommandConsole(TextWriter Out, TextWriter Error, bool ErrorIsTerminal)
{
    public static CommandConsole System => new(Console.Out, Console.Error, !Console.IsErrorRedirected);
}
