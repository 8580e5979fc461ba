# Writes the kernel's type information as C (vmlinux.h) for the CO-RE programs:
#   cmake -DBPFTOOL=... -DBTF=/sys/kernel/btf/vmlinux -DOUTPUT=... -P dump_vmlinux.cmake
# A script rather than a shell redirection, so a failed dump leaves no half-written header.
execute_process(COMMAND "${BPFTOOL}" btf dump file "${BTF}" format c
                OUTPUT_FILE "${OUTPUT}.part" RESULT_VARIABLE result ERROR_VARIABLE error)
if(NOT result EQUAL 0)
  file(REMOVE "${OUTPUT}.part")
  message(FATAL_ERROR "bpftool could not dump ${BTF}: ${error}")
endif()
file(RENAME "${OUTPUT}.part" "${OUTPUT}")
