package org.reasonrl.rollout;

import org.reasonrl.text.Tokenizer;

/**
 * Decides after each token whether a row is done: on its EOS token, when the
 * {@link StopCondition} holds for its text, or when its token budget is spent. The budget is
 * {@code maxNewTokens}, cut to what the model's context leaves after the row's own prompt
 * ({@link #budget}).
 */
final class StopCheck {

  private final int eosId;
  private final StopCondition condition;
  private final TokenPieces pieces;

  StopCheck(int eosId, StopCondition condition, TokenPieces pieces) {
    this.eosId = eosId;
    this.condition = condition;
    this.pieces = pieces;
  }

  /**
   * Tokens a row may generate after its prompt of {@code promptLength} tokens: its positions
   * end at the context whatever padding a batch adds before it.
   */
  static int budget(int maxNewTokens, int promptLength, int context) {
    return Math.min(maxNewTokens, context - promptLength);
  }

  /**
   * Why the row ends with {@code token}, its {@code length}-th token, or {@code null} when it
   * goes on; the token's text is appended to {@code text} unless it is EOS.
   */
  StopReason after(int token, int length, int budget, StringBuilder text) {
    if (token == eosId) {
      return StopReason.EOS;
    }
    text.append(pieces.of(token));
    if (condition.isMet(text)) {
      return StopReason.ANSWER_LINE;
    }
    return length == budget ? StopReason.MAX_TOKENS : null;
  }

  /** The text of each token id, decoded once and remembered. */
  static final class TokenPieces {

    private final Tokenizer tokenizer;
    private final String[] pieces;

    TokenPieces(Tokenizer tokenizer, int vocab) {
      this.tokenizer = tokenizer;
      this.pieces = new String[vocab];
    }

    String of(int id) {
      String piece = pieces[id];
      if (piece == null) {
        piece = tokenizer.decode(new int[] {id});
        pieces[id] = piece;
      }
      return piece;
    }
  }
}
