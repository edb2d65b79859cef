/* cmdline.h: a tool's command word, told from an order ID and from a typo. */
#ifndef OMS_CMDLINE_H
#define OMS_CMDLINE_H

/* What oms_command found, when it is not one of the names (their index). */
enum {
	OMS_CMD_NONE = -1,	/* no command: no operand, or order IDs for the default step */
	OMS_CMD_BAD = -2	/* a word that is no command, reported: exit 2 */
};

/* What a tool's operands are when they start with no command. */
enum oms_cmd_rest {
	OMS_CMD_IDS,		/* order IDs, for its default step */
	OMS_CMD_REQUIRED	/* nothing: every use names a command */
};

/*
 * oms_command says which of names (NULL-terminated) a tool is asked for by
 * its operands (argv[optind] on, after option parsing: getopt_long has
 * moved the options out of the way).  It returns the index of the name
 * that the first operand is exactly: a prefix or a near miss is never
 * taken, so that a typo cannot run anything.  It returns OMS_CMD_NONE when
 * there is no operand, or under OMS_CMD_IDS when the first is made of
 * digits (an order ID, or a number the filter then rejects as one).
 * Anything else, and under OMS_CMD_IDS a command named after the IDs
 * ("oms-auth 8 capture"), is reported ("captur: unknown command (did you
 * mean capture?)") and gives OMS_CMD_BAD: the tool exits 2 before it opens
 * the database.
 */
int oms_command(int argc, char *const argv[], const char *const names[], enum oms_cmd_rest rest);

/*
 * oms_command_unknown reports word as no WHAT of names ("command",
 * "report"): with the nearest names when one is close (at most two
 * letters added, dropped, changed or swapped, or word is the start of
 * it), else with all of them.
 */
void oms_command_unknown(const char *word, const char *what, const char *const names[]);

#endif
