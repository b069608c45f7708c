/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The grammar's actions (parse.c): build struct mr_pcmd from tokens. */
#ifndef MR_GRAMMAR_ACTIONS_H
#define MR_GRAMMAR_ACTIONS_H

struct parser_state;
struct lex_tok;

void act_tool(struct parser_state *ps, struct lex_tok *t);
void act_counters(struct parser_state *ps, struct lex_tok *t);
void act_word(struct parser_state *ps, struct lex_tok *t);
void act_positional(struct parser_state *ps, struct lex_tok *t);
void act_bang(struct parser_state *ps, struct lex_tok *t);
void act_option(struct parser_state *ps, struct lex_tok *t);
void act_arg(struct parser_state *ps, struct lex_tok *t);
void act_argbang(struct parser_state *ps, struct lex_tok *t);
void act_table(struct parser_state *ps, struct lex_tok *t);
void act_chain(struct parser_state *ps, struct lex_tok *t);
void act_chain_end(struct parser_state *ps);
void act_commit(struct parser_state *ps, struct lex_tok *t);
void act_line_end(struct parser_state *ps, struct lex_tok *nl);
void act_line_drop(struct parser_state *ps);

#endif
