/**
 * WWI ELT pipelines on Quartz. See the module's issue and README.md
 * ("Map of the modules") for what lands here.
 */
package org.wwi.elt;
