// Package filter is RocketMQ's SQL92 message filter: a selector such as
// "a > 5 AND b = 'x'" that the broker evaluates against each message's
// properties (messages-and-store.md §6.6).
//
// Parse compiles an expression once; Expression.Match then evaluates it
// against a property lookup without allocating. The package is written
// from the grammar and semantics of Apache RocketMQ's filter module
// (SelectorParser.jj and the expression classes) so that the broker
// accepts, rejects and matches exactly what a Java broker does, quirks
// included:
//
//   - Keywords (AND OR NOT BETWEEN IN IS NULL TRUE FALSE CONTAINS
//     STARTSWITH ENDSWITH) are case-insensitive; identifiers are
//     [a-zA-Z_$][a-zA-Z0-9_$]* and name properties case-sensitively.
//   - NOT is a prefix operator on a single operand: "NOT a = 1" is
//     "(NOT a) = 1". Write "NOT (a = 1)".
//   - Integer literals are ints when they fit in 32 bits, else longs (an L
//     suffix is allowed); floats are doubles, and a float literal of zero
//     is rejected, as Java's createFloat does.
//   - A property value is a string. Compared with a number it is parsed
//     as the constant's type (Integer.valueOf, Long.valueOf or
//     Double.valueOf rules), so "a > 5" fails for a = "5.5"; ordering two
//     strings parses both as doubles.
//   - Evaluation is three-valued: a missing property makes a comparison
//     unknown, and unknown is not a match. A failed conversion aborts the
//     whole evaluation (Java throws), so the message does not match, even
//     under an OR whose other side would be true — unless that side is
//     evaluated first and is true (evaluation short-circuits left to
//     right).
//   - Like the JavaCC parser, the parser stops after the expression once
//     it has looked at the next token: "a = 1 b" compiles to "a = 1".
//     The peeked token must still be a valid token.
//
// Expressions are immutable after Parse and safe for concurrent use.
// Package filter imports only the standard library.
package filter
