/* Stand-alone front end of `bitcycle wave` for the waveform tests, so they do not
 * depend on every other command of build/bitcycle linking. */
#include "cli.h"

int main(int argc, char **argv)
{
    return cmd_wave(argc, argv); /* argv[0] stands for "wave" */
}
