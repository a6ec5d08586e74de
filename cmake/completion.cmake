# Writes one shell completion script by running the built stackctl:
#   cmake -DSTACKCTL=<binary> -DSHELL_NAME=bash|zsh|fish -DOUT=<file> -P completion.cmake
execute_process(COMMAND "${STACKCTL}" completion "${SHELL_NAME}"
                OUTPUT_FILE "${OUT}.tmp"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "stackctl completion ${SHELL_NAME} failed: ${rc}")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
